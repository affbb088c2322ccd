"""Whether a Redis server answers, for tests that need one (CI has one at REDIS_URL)."""


def reachable(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False
