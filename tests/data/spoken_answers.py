"""Spoken technical answers: the speech test set for the recogniser (issue 16).

Each answer is 2-4 sentences, heavy in the jargon of one question from the bank, and
names the bank question it answers, so a bench or a test can prime Whisper the way the
interview does (that question's text and key points, the resume and the job description)
and can grade the transcript against the same question as the written text.
The audio is made from these texts at test or bench time (``tests/data/speech_voices``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpokenAnswer:
    question_id: str
    text: str


SPOKEN_ANSWERS: tuple[SpokenAnswer, ...] = (
    SpokenAnswer(
        "kubernetes-probes",
        "In Kubernetes, a readiness probe decides whether the pod receives traffic from the "
        "Service endpoints. A failing liveness probe makes the kubelet restart the container. "
        "A startup probe holds off the liveness checks while a slow app is still starting.",
    ),
    SpokenAnswer(
        "distributed-systems-retry-backoff",
        "Retries should use exponential backoff with jitter, otherwise every client retries at "
        "once and you get a retry storm. I cap the attempts with a retry budget, and I only "
        "retry idempotent operations, so a payment request carries an idempotency key.",
    ),
    SpokenAnswer(
        "caching-eviction-policies",
        "An LRU cache evicts the least recently used entry, which bets on temporal locality. "
        "LFU keeps the most frequently used keys but adapts slowly. A sequential scan can "
        "pollute an LRU cache, so Caffeine uses an admission policy called TinyLFU.",
    ),
    SpokenAnswer(
        "caching-benefits-costs",
        "Putting Redis in front of PostgreSQL cuts latency and the load on the database, but "
        "only when the hit ratio is high. Cached data can be stale, so every key gets a TTL "
        "and we invalidate it after a write. A cold cache after a restart can flood the database.",
    ),
    SpokenAnswer(
        "api-design-put-vs-patch",
        "PUT replaces the entire resource, while PATCH sends only the changed fields. For JSON "
        "I would use JSON Merge Patch, where null means remove the field. PUT is idempotent, "
        "and to guard concurrent updates the client sends the ETag in an If-Match header.",
    ),
    SpokenAnswer(
        "api-design-status-codes",
        "A successful create returns 201 Created with a Location header, and a delete returns "
        "204 No Content. A duplicate record is a 409 Conflict. Malformed JSON is a 400, while "
        "well-formed input that fails validation is a 422 Unprocessable Entity.",
    ),
    SpokenAnswer(
        "cloud-container-vs-vm",
        "Containers share the host kernel, while a virtual machine runs its own kernel on a "
        "hypervisor. Linux namespaces isolate what a process can see, and cgroups limit its CPU "
        "and memory. For untrusted workloads I would use gVisor or Firecracker micro VMs.",
    ),
    SpokenAnswer(
        "concurrency-race-condition-mutex",
        "The increment is a read-modify-write that is not atomic, so two threads interleave and "
        "updates are lost. That is a race condition. I would protect the critical section with a "
        "mutex, or use an atomic fetch and add, and volatile alone only gives visibility.",
    ),
    SpokenAnswer(
        "concurrency-process-vs-thread",
        "Each process has its own virtual address space, while threads share the memory of "
        "their process. Threads need mutexes to avoid data races, and processes talk through "
        "inter-process communication. A segfault in one thread takes down the whole process.",
    ),
    SpokenAnswer(
        "data-engineering-columnar-formats",
        "Parquet stores each column's values together, so an analytical query reads only the "
        "columns it needs. Dictionary encoding and run-length encoding compress those columns "
        "well. The min and max statistics in each row group enable predicate pushdown.",
    ),
    SpokenAnswer(
        "data-engineering-etl-vs-elt",
        "With ETL the data is transformed before loading, while ELT loads the raw data into the "
        "warehouse first. Snowflake and BigQuery separate storage from compute, so we run the "
        "transformations in SQL with dbt. Keeping the raw data lets us reprocess history.",
    ),
    SpokenAnswer(
        "data-structures-hash-table",
        "A hash function maps each key to a bucket index, so an average lookup is constant time. "
        "Collisions are handled by chaining or by open addressing with linear probing. When the "
        "load factor gets too high, the table resizes and rehashes every entry.",
    ),
    SpokenAnswer(
        "databases-index-basics",
        "An index is usually a B-tree that keeps the keys sorted, so PostgreSQL avoids a full "
        "table scan. Every index slows down writes, because each insert must maintain it. I "
        "check the query plan with EXPLAIN ANALYZE before adding one.",
    ),
    SpokenAnswer(
        "transactions-acid",
        "Atomicity means all or nothing, so a failed transaction rolls back. Isolation depends "
        "on the isolation level, from read committed up to serializable. Durability comes from "
        "the write-ahead log, which is flushed to disk with fsync before the commit returns.",
    ),
    SpokenAnswer(
        "frontend-event-loop",
        "JavaScript runs on a single thread with one call stack. After each macrotask the event "
        "loop drains the microtask queue, so a resolved promise callback runs before a setTimeout "
        "with zero delay. Long tasks block rendering, so heavy work goes to a Web Worker.",
    ),
    SpokenAnswer(
        "messaging-queue-vs-pubsub",
        "A work queue delivers each message to one of the competing consumers, while publish "
        "subscribe gives every subscriber its own copy. Kafka combines both with consumer groups, "
        "and RabbitMQ does it with a fanout exchange.",
    ),
    SpokenAnswer(
        "networking-url-to-page",
        "First DNS resolves the host name to an IP address through the resolver. Then TCP opens "
        "a connection with the three-way handshake, and the TLS handshake verifies the server "
        "certificate. HTTP/3 runs over QUIC and saves those round trips.",
    ),
    SpokenAnswer(
        "observability-logs-metrics-traces",
        "Metrics are aggregated time series, which suit dashboards and alerting in Prometheus "
        "and Grafana. Logs record discrete events with a stack trace. Traces follow one request "
        "across services as spans, and OpenTelemetry correlates them with a trace ID.",
    ),
    SpokenAnswer(
        "security-password-storage",
        "Passwords should be hashed with a slow, memory-hard function such as Argon2id or "
        "bcrypt, never with SHA-256. Each password gets a unique random salt, which defeats "
        "rainbow tables. We raise the work factor as GPUs get faster.",
    ),
    SpokenAnswer(
        "security-sql-injection",
        "SQL injection happens when user input is concatenated into the query string and changes "
        "its structure. The fix is parameterized queries or prepared statements with bind "
        "parameters. The database user also gets least privilege, as defense in depth.",
    ),
    SpokenAnswer(
        "ml-engineering-overfitting",
        "Overfitting means the model learns noise, so the training loss keeps falling while the "
        "validation loss rises on the learning curves. That is high variance. I would add "
        "regularization like dropout or weight decay, and use early stopping.",
    ),
    SpokenAnswer(
        "mobile-main-thread",
        "The main thread has a frame budget of about 16 milliseconds, and blocking it for "
        "5 seconds causes an ANR on Android. I move the work to Kotlin coroutines on "
        "Dispatchers.IO and switch back to the main dispatcher in the viewModelScope.",
    ),
    SpokenAnswer(
        "system-design-scale-single-server",
        "I would measure first and profile to find the real bottleneck. Then the app servers "
        "become stateless behind a load balancer, the database gets read replicas and a Redis "
        "cache, static assets go to a CDN, and slow work moves to a job queue.",
    ),
    SpokenAnswer(
        "software-design-composition-over-inheritance",
        "Inheritance couples a subclass tightly to its base class, which is the fragile base "
        "class problem. Composition delegates to collaborators behind interfaces, so they can be "
        "swapped at runtime. Inheritance still fits a true is-a relationship that respects "
        "Liskov substitution.",
    ),
)
