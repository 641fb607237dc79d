"""Resumes and job descriptions shared by the API tests."""

SENIOR_RESUME = """\
Jordan Avery
Staff Software Engineer | jordan.avery@example.com

EXPERIENCE
Staff Software Engineer, Northwind Logistics            Mar 2019 - Present
- Designed an event-driven order pipeline on Kafka handling 40k msgs/s.
- Led migration of the billing monolith to Python microservices with gRPC.
- Mentored 6 engineers; ran the architecture review board.

Senior Backend Engineer, Contoso Payments               Jan 2015 - Feb 2019
- Built the PostgreSQL sharding layer for the ledger (2 TB, 99.99% uptime).
- Introduced Redis caching that cut p99 latency from 900 ms to 120 ms.

SKILLS
Python, Go, PostgreSQL, Kafka, Redis, gRPC, AWS, Docker, Terraform
"""

BACKEND_JD = """\
Senior Backend Engineer
Requirements:
- 6+ years building backend services in Python or Go
- Deep knowledge of PostgreSQL, indexing and transactions
- Experience running services on Kubernetes in production
- Event streaming with Kafka
"""

GOOD_ANSWER = (
    "I would start from the requirements and the expected load. For example, in my last project "
    "we kept the write path simple and put a cache in front of the reads, which cut latency a lot. "
    "The tradeoff is consistency: a cache can serve stale data, so we set short TTLs and "
    "invalidated on writes. If the system had to scale further I would partition the data by "
    "customer and replicate each partition."
)
