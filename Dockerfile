# The runtime dependencies of uv.lock, without the development group (no pytest, Playwright,
# ruff or Faker in production), installed by uv in a stage of their own: uv stays out of the image.
FROM python:3.11-slim-bookworm AS dependencies
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN UV_PROJECT_ENVIRONMENT=/venv UV_PYTHON_DOWNLOADS=never \
        uv sync --locked --no-dev --no-cache --compile-bytecode

FROM python:3.11-slim-bookworm

# WeasyPrint's system libraries, gettext for compilemessages, fonts for PDFs.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
        gettext curl \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORTAL_EMBEDDED=false PATH=/venv/bin:$PATH
WORKDIR /app
COPY --from=dependencies /venv /venv
COPY . .
# Build-time placeholders only: the running containers get their own from the environment.
RUN SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.db ALLOWED_HOSTS=build \
        python manage.py compilemessages --ignore=.venv -v0 \
    && SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.db ALLOWED_HOSTS=build \
        python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 1000 portal && mkdir -p /data/media && chown portal /data/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
