"""Background work of the roster (Celery; tasks take ids).

The task keeps the name it was registered under before the roster had its own package
(``enterprises.tasks.…``), so messages already queued under that name still run;
``jingkai_portal.celery`` discovers this module beside the apps' own ``tasks.py``.
"""

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from common.memory import memory_limit
from enterprises.roster.imports import roster_import_run
from enterprises.roster.models import RosterImport


# A province-wide roster takes minutes; half an hour is far beyond any real one.
@shared_task(name="enterprises.tasks.roster_import_task", acks_late=True, soft_time_limit=1800, time_limit=1860)
def roster_import_task(job_id: int) -> None:
    """Import one uploaded roster; a second delivery finds the job claimed and does nothing.

    Under a memory ceiling: a file that inflates past it (one that got through the
    archive check, e.g. a huge cell) is refused whole, with the reason, instead of
    taking the worker's memory."""
    try:
        with memory_limit(settings.IMPORT_MEMORY_LIMIT_MB):
            roster_import_run(job_id=job_id)
    except MemoryError:
        RosterImport.objects.filter(pk=job_id).update(
            status=RosterImport.Status.REJECTED,
            message=_(
                "文件内容解压后超出处理内存上限，整个文件未导入。请检查文件中是否有异常巨大的单元格，或拆分后重新上传。"
            ),
        )
