"""Chinese number and date formats: Django's, with stock and prices grouped by thousands
("828,000"), as Chinese component stores and purchasers write them, not by ten thousands."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
