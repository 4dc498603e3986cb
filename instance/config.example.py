# Copy to instance/config.py and adjust. Every setting can also be given as WELFARE_<NAME>.
# SECRET_KEY = "..."                 # default: generated into the data dir on first start
# IDLE_TIMEOUT_MINUTES = 30
# ABSOLUTE_TIMEOUT_HOURS = 12
# LOGIN_RATE_LIMIT = "5 per 15 minutes"
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"
# PROXY_FIX = True                   # behind nginx / a load balancer
