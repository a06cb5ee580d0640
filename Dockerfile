# The portal's image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time with the production storage (hashed
# names and compressed copies for WhiteNoise); the throwaway key exists only
# for this step.
RUN DJANGO_SETTINGS_MODULE=jingkai_portal.settings.production \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --create-home --uid 1000 portal && mkdir -p var/media && chown -R portal:portal var
USER portal

EXPOSE 8000
CMD ["gunicorn", "jingkai_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
