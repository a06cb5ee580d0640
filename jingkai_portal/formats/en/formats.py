# Short enough for a badge ("Due by Dec 31"); Django's own English is "F j" (December 31).
MONTH_DAY_FORMAT = "M j"  # Dec 31
# Not a Django name: the time of a recent visit or tracking (same year, so no year).
MONTH_DAY_TIME_FORMAT = "M j, H:i"  # Dec 31, 14:05
