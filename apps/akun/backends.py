from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class NipOrUsernameBackend(ModelBackend):
    """Sign in with a username, or with the NIP of the pegawai linked to the account.

    A NIP may be typed in its displayed form with spaces; they are ignored.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        username = username.strip()
        compact = username.replace(" ", "")
        User = get_user_model()
        lookup = Q(username__iexact=username)
        if compact.isdigit() and len(compact) == 18:
            lookup |= Q(pegawai__nip=compact) | Q(username=compact)
        candidates = list(User.objects.filter(lookup)[:2])
        if len(candidates) != 1:
            # Run the hasher anyway, so timing does not tell whether the account exists.
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
