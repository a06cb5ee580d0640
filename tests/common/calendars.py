"""A made-up 2027 arrangement, as a 系统管理员 would enter it before the package covers that year.

Spring Festival: Saturday 6 to Sunday 14 February 2027 off (weekends included,
as the State Council lists them), made up by working Saturday 30 January and
Saturday 20 February; New Year's Day, Friday 1 January, off.
"""

import datetime

from common.models import SpecialDay, WorkdayArrangement

D = datetime.date

SPRING_FESTIVAL_2027 = [D(2027, 2, 6) + datetime.timedelta(days=offset) for offset in range(9)]
WORKING_SATURDAYS_2027 = [D(2027, 1, 30), D(2027, 2, 20)]


def made_up_2027(*, entered_by=None, is_complete: bool = True) -> WorkdayArrangement:
    arrangement = WorkdayArrangement.objects.create(
        year=2027, is_complete=is_complete, source="国办发明电〔2026〕99号（测试虚构）", entered_by=entered_by
    )
    days = [SpecialDay(date=D(2027, 1, 1), kind=SpecialDay.Kind.HOLIDAY, name="元旦")]
    days += [SpecialDay(date=day, kind=SpecialDay.Kind.HOLIDAY, name="春节") for day in SPRING_FESTIVAL_2027]
    days += [SpecialDay(date=day, kind=SpecialDay.Kind.WORKDAY, name="春节") for day in WORKING_SATURDAYS_2027]
    for day in days:
        day.arrangement = arrangement
        day.save()
    return arrangement
