"""SEND Panel, Health Café and intelligence-sharing meetings, chaired from the DCO's dashboard."""
