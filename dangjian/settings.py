"""One settings file. Everything that differs between a demo laptop and a province deployment
comes from environment variables (see docs/deployment.md); the defaults are safe for the demo."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dangjian.env import env_bool, env_int, env_list, env_str, machine_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("DANGJIAN_TESTING", False)
# Production is a deployment that serves real host names (ALLOWED_HOSTS) with its own SECRET_KEY. A local run
# (`make demo`, the contract checks, a developer's gunicorn: this machine's names only) without a key gets one made
# for this machine and kept in VAR_DIR, shared by all its processes; there is no public key anyone could forge with.
SECRET_KEY = env_str("SECRET_KEY", "")
LOCAL_ONLY = not env_str("ALLOWED_HOSTS", "")
if not SECRET_KEY:
    if not LOCAL_ONLY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. A deployment serving ALLOWED_HOSTS needs its own secret key (at least 50 random "
            "characters, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`) in the environment; "
            "see docs/deployment.md."
        )
    SECRET_KEY = "tests-only-key-" + "x" * 40 if TESTING else machine_secret_key(VAR_DIR / "secret_key")
PRODUCTION = not DEBUG and not LOCAL_ONLY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Apps by domain (DESIGN.md), beside the shared kernel `dangjian.core`. Each may declare `nav` entries in its
# AppConfig and offer modules of agreed names (urls, api, demo, indicators…) that core.extensions.modules finds;
# nothing else needs to change here when an app grows.
DOMAIN_APPS = [
    "dangjian.orgs",
    "dangjian.meetings",
    "dangjian.ledgers",
    "dangjian.learning",
    "dangjian.ethics",
    "dangjian.assignments",
    "dangjian.assessment",
    "dangjian.voice",
    "dangjian.care",
    "dangjian.membership",
    "dangjian.messages",
    "dangjian.publishing",
    "dangjian.insights",
    "dangjian.leadership",
]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "dangjian.core",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dangjian.core.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangjian.core.middleware.ChosenLanguageMiddleware",  # LocaleMiddleware, by choice not Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dangjian.core.accounts.MustChangePasswordMiddleware",  # one-time passwords: the password page first
    "dangjian.core.middleware.BadInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dangjian.core.middleware.SecurityHeadersMiddleware",
    "dangjian.core.middleware.ClientIpMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dangjian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dangjian.core.context_processors.navigation",
                "dangjian.messages.context_processors.unread",
            ],
        },
    }
]

# Database: SQLite (WAL) under var/ by default, anything dj-database-url understands otherwise.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "dangjian.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
# Dashboards may read from a replica; see dangjian/db_router.py and docs/deployment.md.
REPLICA_DATABASE_URL = env_str("REPLICA_DATABASE_URL", "")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(REPLICA_DATABASE_URL, conn_max_age=60)
    DATABASE_ROUTERS = ["dangjian.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs: the longest a job may run, and how many runs one gets when its worker dies mid-job
# (RQ: core.jobqueue; the database backend: core.jobsweep).
JOB_TIMEOUT = env_int("JOB_TIMEOUT", 600)
JOB_ATTEMPTS = env_int("JOB_ATTEMPTS", 2)
# Redis: cache, sessions and the job queue when REDIS_URL is set; in-process otherwise.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # django-redis rather than Django's own Redis backend, which builds a new client for every operation
    # (0.17 ms each here; every signed-in request reads its session from it).
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            "DEFAULT_TIMEOUT": JOB_TIMEOUT,
            "QUEUE_CLASS": "dangjian.core.jobqueue.RetryingQueue",  # retried, also when a worker dies
        }
    }
    INSTALLED_APPS.append("django_rq")
    JOB_MAINTENANCE_SECONDS = env_int("JOB_MAINTENANCE_SECONDS", 60)
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Passwords and login: argon2, lockout after repeated failures, sessions that expire.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests measure; argon2 stays the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "dangjian.core.accounts.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours: a locked account opens again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a pair: nobody can lock somebody else out
AXES_HANDLER = "dangjian.core.lockout.LockoutHandler"  # adds the cool-down of one address across usernames
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# How many proxies of ours (nginx: 1) stand in front of the app; see core/clientip.py and docs/deployment.md.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "dangjian.core.clientip.client_ip"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
REFERRER_POLICY = "same-origin"
if PRODUCTION:
    # Production: HTTPS everywhere (nginx terminates TLS and sets X-Forwarded-Proto).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)  # /bench/hello for `make bench` only

# Chinese first.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
if env_str("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible object storage (MinIO) for attachments; credentials come from the usual AWS_* variables.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Excel imports: what an .xlsx may unpack to before it is parsed (decompression bombs). 100 MB holds a roster of
# about 150,000 rows; a real workbook has a few dozen parts.
XLSX_MAX_UNCOMPRESSED_BYTES = env_int("XLSX_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
XLSX_MAX_PARTS = env_int("XLSX_MAX_PARTS", 500)
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2000)  # larger imports run as a job, with progress
IMPORTS_PER_HOUR = env_int("IMPORTS_PER_HOUR", 20)  # per user

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dangjian@localhost")

# The county this deployment serves is data (the root org); this is only the site's title.
SITE_TITLE = env_str("SITE_TITLE", "党建工作平台")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Message channels (dangjian.messages.channels; docs/operations.md "Message channels"). A channel without its
# settings is simply not offered. EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS are
# Django's own and read here too.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "")  # e.g. https://dj.example.gov.cn: links in messages sent out
MESSAGES_HTTP_TIMEOUT = env_int("MESSAGES_HTTP_TIMEOUT", 10)  # seconds per channel call
WECOM_API_BASE = env_str("WECOM_API_BASE", "https://qyapi.weixin.qq.com")
WECOM_CORP_ID = env_str("WECOM_CORP_ID", "")
WECOM_CORP_SECRET = env_str("WECOM_CORP_SECRET", "")
WECOM_AGENT_ID = env_str("WECOM_AGENT_ID", "")
DINGTALK_API_BASE = env_str("DINGTALK_API_BASE", "https://oapi.dingtalk.com")
DINGTALK_APP_KEY = env_str("DINGTALK_APP_KEY", "")
DINGTALK_APP_SECRET = env_str("DINGTALK_APP_SECRET", "")
DINGTALK_AGENT_ID = env_str("DINGTALK_AGENT_ID", "")
# Group robots are entered per organization; only addresses under these prefixes are accepted (no posting to
# arbitrary hosts from the server).
WECOM_ROBOT_PREFIX = env_str("WECOM_ROBOT_PREFIX", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=")
DINGTALK_ROBOT_PREFIX = env_str("DINGTALK_ROBOT_PREFIX", "https://oapi.dingtalk.com/robot/send?access_token=")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_SIGN = env_str("SMS_SIGN", "")  # 短信签名, e.g. 【某某县教育党工委】
MESSAGES_WEBHOOK_URL = env_str("MESSAGES_WEBHOOK_URL", "")
MESSAGES_WEBHOOK_SECRET = env_str("MESSAGES_WEBHOOK_SECRET", "")
