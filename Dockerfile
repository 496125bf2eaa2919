# syntax=docker/dockerfile:1
# One image for every part of Inspire: `serve SERVICE` (people, goals, feedback, assessment,
# webhooks, gateway), `worker` (the webhooks dispatcher) and `migrate SERVICE`.
#
#   docker build -t inspire:0.1.0 .
#   docker run --rm -e INSPIRE_PEOPLE_DATABASE_URL=… -e INSPIRE_AUTH_JWT_SECRET=… \
#       -e INSPIRE_AUTH_SERVICE_SECRET=… inspire:0.1.0 serve people
#
# The base is python:3.11-slim-bookworm pinned by the digest of its multi-platform index
# (amd64 and arm64 among others), as docker-library/repo-info lists it in
# repos/python/remote/3.11-slim-bookworm.md (Python 3.11.16, 25 August 2026). To move to a newer
# build, take the digest from there or from
# `docker buildx imagetools inspect python:3.11-slim-bookworm` (docs/operations.md).
FROM python:3.11-slim-bookworm@sha256:0bee7276f83efd4a1ee05bbbf4281d95ed28e079220a9457f25a93e3f1e3c31b AS base

# The install step is deploy/install.sh, the script CI runs into a fresh folder and starts the
# services from (tests/deploy/test_install.py): wheels only, every one hash-checked.
FROM base AS build
ENV PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PYTHON=/usr/local/bin/python3.11
WORKDIR /src
COPY requirements.lock requirements.runtime.lock pyproject.toml README.md ./
COPY deploy/install.sh deploy/build.lock deploy/
COPY kit kit
COPY services services
COPY gateway gateway
COPY cli cli
RUN deploy/install.sh /opt/inspire

# The final image: the base and the environment, nothing else (no uv, no compiler, no sources,
# no development packages), run as an unprivileged user with a numeric id that Kubernetes'
# runAsNonRoot can verify.
FROM base
# checkov:skip=CKV_DOCKER_2:no HEALTHCHECK: the one image runs several commands on different ports, and Kubernetes probes each (/healthz, /readyz)
ENV PATH=/opt/inspire/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN groupadd --system --gid 10001 inspire \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin inspire
COPY --from=build /opt/inspire /opt/inspire
USER 10001:10001
WORKDIR /tmp
# The gateway's port; each service listens on its own (`inspire serve --port`), and on that
# port + 1000 for Prometheus.
EXPOSE 8000 9000
ENTRYPOINT ["inspire"]
CMD ["serve", "gateway"]
