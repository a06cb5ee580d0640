# The portal's images, from one file:
#   - the default target (`app`): web (gunicorn), the Celery worker and beat;
#   - `nginx`: the front server with the collected static files baked in.
# docker-compose.yml builds both; by hand: `docker build -t jingkai-portal .` and
# `docker build --target nginx -t jingkai-portal-nginx .`.

FROM python:3.11-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=jingkai_portal.settings.production

WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time with the production storage (hashed
# names and compressed copies; the .mo catalogues are committed); the throwaway key and host exist only for this step.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput --verbosity 0

# Uploads live in var/media (a volume); the code and static files stay root-owned, read-only to the app.
RUN useradd --create-home --uid 1000 portal && mkdir -p var/media && chown -R portal:portal var/media


# nginx: serves /static/ itself (gzip, far-future cache on the hashed names), proxies the rest.
FROM nginx:1.27-alpine AS nginx
COPY deploy/nginx.conf /etc/nginx/nginx.conf
COPY --from=base /app/var/staticfiles /srv/static


# The application image (the default target: the last stage).
FROM base AS app
USER portal
EXPOSE 8000
# GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT come from the environment (deploy/gunicorn.conf.py).
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
