"""Settings of the app servers that tests/ops starts with gunicorn: the production settings from
the environment, except the static files storage. Production runs ``collectstatic`` (hashed and
compressed names, about 30 s here); these servers serve no static files, so pages link them by
their plain names, as bench/_common.py does."""

from asnkarier.settings import *  # noqa: F403
from asnkarier.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
