"""Polite defaults for crawling government sites."""

BOT_NAME = "budgetwatch"
SPIDER_MODULES = ["crawler.spiders"]
USER_AGENT = "budgetwatch/0.1 (预决算公开监测; +https://github.com/budgetwatch)"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0  # per host, across all sources of a run (crawler.throttle)
DOWNLOAD_DELAY_JITTER = 0  # the delay is a floor, never shortened at random
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 5.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024  # bodies are spooled to disk (crawler.bodies)
DOWNLOAD_WARNSIZE = 50 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10
BUDGETWATCH_RETRY_BACKOFF = 5.0
BUDGETWATCH_RETRY_BACKOFF_MAX = 120.0

# Our own conditional requests (url_state) replace Scrapy's HTTP cache.
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.RetryBackoffMiddleware": 540,
    "crawler.middlewares.ConditionalRequestMiddleware": 560,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.LoopAwareRedirectMiddleware": 600,
}
ITEM_PIPELINES = {"crawler.pipelines.RecordPipeline": 300}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.throttle.HostAutoThrottle": 0,
}

# Revalidation (crawler.schedule): a file replaced silently at its URL is
# seen within this many days; BUDGETWATCH_FULL_REVALIDATION asks everything.
BUDGETWATCH_REVALIDATE_MAX_DAYS = 30.0
# Every list page of a source is read at least this often (crawler.schedule).
BUDGETWATCH_LIST_SWEEP_DAYS = 7.0
BUDGETWATCH_FULL_REVALIDATION = False
BUDGETWATCH_NOW = None  # ISO time to pretend the run happens at (tests, benchmarks)

BUDGETWATCH_ZIP_MAX_ENTRIES = 200
BUDGETWATCH_ZIP_MAX_BYTES = 500 * 1024 * 1024
BUDGETWATCH_ZIP_MAX_RATIO = 100.0
