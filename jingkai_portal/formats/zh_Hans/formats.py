# Month and day without a leading zero (Django's own zh_Hans has "m月j日": 09月5日).
MONTH_DAY_FORMAT = "n月j日"  # 12月31日
# Not a Django name: the time of a recent visit or tracking (same year, so no year).
MONTH_DAY_TIME_FORMAT = "n月j日 H:i"  # 12月31日 14:05
# Figures as the office writes them: 5,878 万元, 1,234 人次 (Django's zh_Hans has no grouping).
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
