"""A file email backend whose first send hangs: it writes its process id to a flag file
and sleeps before writing the message, long enough for a test to kill the worker there."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend


class SlowOnceFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        flag = Path(settings.TEST_SLOW_MAIL_FLAG)
        if not flag.exists():
            flag.write_text(str(os.getpid()))
            time.sleep(30)
        return super().send_messages(email_messages)
