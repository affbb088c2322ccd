"""SEND Panel, the Health Café and intelligence-sharing meetings, chaired from the DCO's dashboard."""
