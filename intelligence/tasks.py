"""Background work of the intelligence app: the PDF governance pack of the report.

The pack's state is its ``ReportPack`` row; the services move it on with conditional
updates, so these tasks are safe to run twice (the outbox may deliver one again).
"""

from __future__ import annotations

from celery import shared_task

from intelligence import services


@shared_task
def build_report_pack(pack_id: str, *_before_the_row: object) -> str:
    """Build the pack's PDF; return its status afterwards ("" if it is gone).

    Messages queued before packs were rows carried the period and the asker too; their
    packs no longer exist, so those arguments are accepted and ignored."""
    return services.build_report_pack(pack_id)


@shared_task
def delete_old_report_packs() -> int:
    """Delete the packs (rows and PDFs) asked for more than a day ago; how many went."""
    return services.delete_old_report_packs()
