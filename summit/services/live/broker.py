"""Carries the live state from the process where it was committed to every open screen.

`LocalBroker` keeps it inside one process (`flask run`, one gunicorn worker); `RedisBroker`
publishes through Redis pub/sub, so a press handled by one worker or machine reaches the
screens held open by all the others (SUMMIT_REDIS_URL). A subscriber is a small queue that
keeps only the latest payloads: a slow phone skips a state, it never holds up the others.

If Redis goes away, publishing logs and carries on (the state is in the database already),
the broker reports itself unhealthy and closes its streams, so screens fall back to polling;
a listener keeps reconnecting and the streams are accepted again once Redis is back.
Under gunicorn's gevent worker (monkey-patched), the threads and queues here are greenlets.
"""

from __future__ import annotations

import logging
import queue
import threading
import time

log = logging.getLogger(__name__)

CLOSED = None  # put into a subscriber's queue: the stream must end (the broker lost Redis)
QUEUE_SIZE = 8


class Subscription:
    def __init__(self, broker: LocalBroker, channel: str):
        self.broker, self.channel = broker, channel
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_SIZE)

    def offer(self, payload: str | None) -> None:
        """Put without ever blocking the publisher: when full, the oldest state goes."""
        while True:
            try:
                self.queue.put_nowait(payload)
                return
            except queue.Full:
                try:
                    self.queue.get_nowait()
                except queue.Empty:
                    pass

    def get(self, timeout: float) -> str | None:
        """The next payload; raises queue.Empty after `timeout` seconds without one."""
        return self.queue.get(timeout=timeout)

    def close(self) -> None:
        self.broker.unsubscribe(self)


class LocalBroker:
    """Publish and subscribe inside this process."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = {}
        self._lock = threading.Lock()

    @property
    def healthy(self) -> bool:
        return True

    def subscribe(self, channel: str) -> Subscription:
        subscription = Subscription(self, channel)
        with self._lock:
            self._subscribers.setdefault(channel, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            found = self._subscribers.get(subscription.channel)
            if found is not None:
                found.discard(subscription)
                if not found:
                    del self._subscribers[subscription.channel]

    def subscriber_count(self, channel: str | None = None) -> int:
        with self._lock:
            if channel is not None:
                return len(self._subscribers.get(channel, ()))
            return sum(len(found) for found in self._subscribers.values())

    def publish(self, channel: str, payload: str) -> None:
        self.deliver(channel, payload)

    def deliver(self, channel: str, payload: str | None) -> None:
        with self._lock:
            targets = list(self._subscribers.get(channel, ()))
        for subscription in targets:
            subscription.offer(payload)

    def close_all(self) -> None:
        with self._lock:
            targets = [s for found in self._subscribers.values() for s in found]
        for subscription in targets:
            subscription.offer(CLOSED)


class RedisBroker(LocalBroker):
    """Publish through Redis; one listener per process hands messages to its subscribers."""

    RECONNECT_SECONDS = 1.0

    def __init__(self, url: str, prefix: str) -> None:
        super().__init__()
        import redis

        self._redis = redis
        self.url, self.prefix = url, prefix
        # Short time-outs: a press must not hang while Redis is away.
        self._client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1)
        self._connected = threading.Event()
        self._listener: threading.Thread | None = None
        self._start_lock = threading.Lock()

    @property
    def healthy(self) -> bool:
        self._ensure_listener()
        return self._connected.wait(timeout=1.0)

    def subscribe(self, channel: str) -> Subscription:
        self._ensure_listener()
        return super().subscribe(channel)

    def publish(self, channel: str, payload: str) -> None:
        try:
            self._client.publish(self.prefix + channel, payload)
        except self._redis.RedisError as exc:
            # The moderator's step is committed; screens catch up by polling meanwhile.
            log.warning("live push: Redis publish failed (%s); screens poll until it is back",
                        exc)
            self.deliver(channel, payload)

    def _ensure_listener(self) -> None:
        # Started lazily: in the gunicorn worker after the fork, not in the master.
        if self._listener is not None and self._listener.is_alive():
            return
        with self._start_lock:
            if self._listener is None or not self._listener.is_alive():
                self._listener = threading.Thread(target=self._listen, daemon=True,
                                                  name="summit-live-redis")
                self._listener.start()

    def _listen(self) -> None:
        while True:
            pubsub = None
            try:
                client = self._redis.Redis.from_url(
                    self.url, socket_connect_timeout=1, health_check_interval=10)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(self.prefix + "*")
                self._connected.set()
                start = len(self.prefix)
                while True:
                    message = pubsub.get_message(timeout=5.0)
                    if message and message["type"] == "pmessage":
                        channel = message["channel"].decode()[start:]
                        self.deliver(channel, message["data"].decode())
            except Exception as exc:  # noqa: BLE001  (any failure: reconnect, never die)
                if self._connected.is_set():
                    log.warning("live push: lost Redis (%s); streams close, screens poll", exc)
                self._connected.clear()
                self.close_all()
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:  # noqa: BLE001
                        pass
            time.sleep(self.RECONNECT_SECONDS)
