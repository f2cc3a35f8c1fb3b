# Partline web, worker and beat image (one image, three commands; see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PARTLINE_VAR_DIR=/app/var
WORKDIR /app

# Order PDFs print Chinese company names and addresses in this font.
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends fonts-wqy-microhei gettext \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml requirements.lock ./
COPY shop ./shop
COPY catalog ./catalog
COPY customers ./customers
COPY promotions ./promotions
COPY orders ./orders
RUN pip install -c requirements.lock .

COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0 \
    && SECRET_KEY=compilemessages-only python manage.py compilemessages -v 0 \
    && useradd --system --home /app partline && mkdir -p /app/var/media \
    && chown -R partline /app/var
USER partline

EXPOSE 8000
CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", \
     "--access-logfile", "-"]
