# Production image: the portal's code with its Python dependencies and WeasyPrint's libraries.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    STEMNET_VAR_DIR=/data MEDIA_ROOT=/data/media STATIC_ROOT=/app/staticfiles

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir . && rm -rf build *.egg-info
COPY . .
# collectstatic and compilemessages need settings that import cleanly; DEBUG is off by
# default and then requires a key: a build-only one, never used at run time.
RUN DEBUG=false SECRET_KEY=build-only-not-used-at-runtime python manage.py collectstatic --noinput \
 && DEBUG=false SECRET_KEY=build-only-not-used-at-runtime python manage.py compilemessages -v0 \
 && useradd --create-home --uid 1000 portal && mkdir -p /data && chown portal /data
USER portal
EXPOSE 8000
CMD ["gunicorn", "stemnet.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
