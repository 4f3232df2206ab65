"""Settings for asnkarier.

Everything comes from environment variables; the defaults are for development on a laptop
(DEBUG on, SQLite in the project folder). Production sets at least SECRET_KEY, DEBUG=0,
ALLOWED_HOSTS and DATABASE_URL.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=None):
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# A development key is only acceptable while DEBUG is on.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "apps.core",
    "apps.pegawai",
    "apps.akun",
    "apps.standar_kinerja",
    "apps.penilaian",
    "apps.sertifikasi",
    "apps.pelatihan",
    "apps.karier",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database outage answers 503 (page or JSON), not 500: outside every middleware that queries.
    "apps.core.middleware.DatabaseUnavailableMiddleware",
    # Django's, minus a session load on that 503.
    "apps.core.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.NoStoreMiddleware",
    # Last: it turns a login that axes locked out into the login page with the lockout message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "asnkarier.urls"
WSGI_APPLICATION = "asnkarier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development database: writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the large scoped counts for longer than it then saves (measured at
    # 100,000 pegawai: 0.8 s of a 2.4 s talent matrix); these are interactive pages, not reports.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) exist on PostgreSQL; on the SQLite of development they are plain ones.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Redis when REDIS_URL (or CACHE_URL) is set: API rate limits then hold across all workers and
# servers. Without it each process counts on its own, which is fine for one development server.
CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL") or ""
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "asnkarier",
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"REDIS_URL/CACHE_URL must be a redis:// URL, not {CACHE_URL!r}.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "akun.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt of a locked-out account or address before the password is checked.
    "apps.akun.backends.LockoutBackend",
    "apps.akun.backends.NipOrUsernameBackend",
]
LOGIN_URL = "akun:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "akun:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded evidence lives outside the web root and is served only through views that check scope.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Email for the daily reminders (manage.py kirim_pengingat). Without EMAIL_HOST mail goes to the console.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "asnkarier <noreply@localhost>")
# The address of the site, for links in emails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Job-person match bands (DOMAIN §5): at least this percentage is "Memenuhi Syarat", at least
# the second "Masih Memenuhi Syarat", below it "Kurang Memenuhi Syarat".
JPM_BATAS = {
    "memenuhi": env_int("JPM_BATAS_MEMENUHI", 80),
    "masih_memenuhi": env_int("JPM_BATAS_MASIH_MEMENUHI", 68),
}
if not 0 < JPM_BATAS["masih_memenuhi"] < JPM_BATAS["memenuhi"] <= 100:
    raise ImproperlyConfigured("JPM_BATAS_MASIH_MEMENUHI must be below JPM_BATAS_MEMENUHI, both 1-100.")
# Kenaikan pangkat periods (month, day), historically 1 April and 1 Oktober: configuration, not code.
KP_PERIODE = [tuple(int(part) for part in item.split("-")) for item in env_list("KP_PERIODE", ["4-1", "10-1"])]

# A certificate counts as "akan kedaluwarsa" this many days before its expiry date.
SERTIFIKASI_WINDOW_HARI = env_int("SERTIFIKASI_WINDOW_HARI", 90)
# The karier dashboard: its figures count as fresh this long (0: computed on every request);
# older ones (of the same day) are shown while a thread computes new ones, unless LATAR is off.
KARIER_DASBOR_CACHE_DETIK = env_int("KARIER_DASBOR_CACHE_DETIK", 300)
KARIER_DASBOR_LATAR = env_bool("KARIER_DASBOR_LATAR", True)

# Imports (apps/core/imports.py) run in a background thread of the web process; IMPORT_SYNC=1 runs
# them inside the upload request instead (the tests do). More rows than this per sheet are refused.
IMPORT_SYNC = env_bool("IMPORT_SYNC", False)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)

# Saved on every request, so the age is an idle timeout: 60 minutes without a request signs out.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = env_str("SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is decided for a whole registrable domain (a pemda's subdomain of go.id cannot be
    # preloaded on its own): an explicit opt-in, not a warning on every deploy check.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if os.environ.get("SECURE_PROXY_SSL_HEADER", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (1 behind one nginx).
# The client address (login lockout, rate limits, logs) is the entry that many places from the
# right; 0 takes REMOTE_ADDR and ignores the header, which a client can forge.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# Content-Security-Policy: nothing inline, nothing from elsewhere. The API docs pages (Swagger,
# Redoc) get a relaxed style-src in asnkarier/urls.py: their bundles inject <style> elements.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failures within the cool-off, the account
# AND the client address are locked, each on its own count. Unlock: Django admin → Axes → Access
# attempts, or `manage.py akun_buka_kunci <NIP/username>` (see README, "Produksi").
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# 0 minutes: locked until staff unlock.
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15)) or None
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# The username axes counts is the account's, whichever way it was typed (NIP with spaces, case).
AXES_USERNAME_CALLABLE = "apps.akun.backends.lockout_username"
AXES_CLIENT_IP_CALLABLE = "apps.akun.backends.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.akun.views.locked_out"
# Attempts during a lockout do not extend it: the cool-off told to the user holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Our own "asnkarier.auth" log names the account and address; axes' log lines stay terse.
AXES_VERBOSE = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.akun.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "apps.akun.permissions.TokenReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.drf.StrictPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.drf.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "apps.core.drf.SearchFilter",
        "apps.core.drf.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    # Per API token (or signed-in account) and per anonymous address; 429 in Indonesian.
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.akun.throttling.UserRateThrottle",
        "apps.akun.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_RATE_USER", "600/min"),
        "anon": env_str("API_RATE_ANON", "60/min"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "asnkarier API",
    "DESCRIPTION": "Data karier ASN: pegawai, unit kerja, jabatan, golongan, riwayat, standar kinerja dan SKP.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error answers every endpoint can give (400/401/403/404/429), documented once.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.schema.document_error_responses",
    ],
    "GET_LIB_DOC_EXCLUDES": "apps.core.schema.lib_doc_excludes",
    # "jenis" and "jenis_asn" name different choice lists on different models.
    "ENUM_NAME_OVERRIDES": {
        "JenisAsnEnum": "apps.pegawai.models.JenisASN",
        "JenisAsnGolonganEnum": [("PNS", "PNS"), ("PPPK", "PPPK")],
        "JenisUnitKerjaEnum": "apps.pegawai.models.UnitKerja.Jenis",
        "JenisJabatanEnum": "apps.pegawai.models.JenisJabatan",
        "StatusPenilaianEnum": "apps.penilaian.models.Status",
        "StatusPeriodeEnum": "apps.penilaian.models.PeriodePenilaian.Status",
        "JenisRencanaEnum": "apps.penilaian.models.RencanaHasilKerja.Jenis",
        "RatingEnum": "apps.penilaian.models.Rating",
        "JenisSertifikasiEnum": "apps.sertifikasi.models.Sertifikasi.Jenis",
        "VerifikasiSertifikasiEnum": "apps.sertifikasi.models.Sertifikasi.Verifikasi",
        "JenisPenyelenggaraEnum": "apps.pelatihan.models.Penyelenggara.Jenis",
        "JenisPenghargaanEnum": "apps.pegawai.models.RiwayatPenghargaan.Jenis",
        "JenisHukumanDisiplinEnum": "apps.pegawai.models.RiwayatHukumanDisiplin.Jenis",
        "TingkatHukumanDisiplinEnum": "apps.pegawai.models.RiwayatHukumanDisiplin.Tingkat",
        "TingkatPendidikanEnum": "apps.pegawai.models.TingkatPendidikan",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
