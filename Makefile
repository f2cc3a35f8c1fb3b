# Partline: `make run` serves the demo store, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Absolute links (canonical, sitemaps, robots.txt, llms.txt, emails) name the port served.
SITE_URL ?= http://127.0.0.1:$(PORT)
DEMO_PARTS ?= 20000
# The demo serves plain http on loopback; production keeps the secure defaults.
DEMO_ENV := SITE_URL="$(SITE_URL)" SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
	SERVE_MEDIA=1 LOG_FORMAT=plain SECRET_KEY="$$(cat var/secret_key)"

# The order PDFs print Chinese company names and addresses in this font (Debian package).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
CJK_FONT_PACKAGE := fonts-wqy-microhei
# compilemessages turns locale/*.po into the .mo files Django reads (Debian package).
GETTEXT_PACKAGE := gettext

.PHONY: run test install lint lock clean bench-import bench-storefront fonts gettext messages

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(BIN)/.installed

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

fonts:
	@if [ ! -f $(CJK_FONT) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(CJK_FONT_PACKAGE); \
	  else \
	    echo "Order PDFs need the Debian package $(CJK_FONT_PACKAGE) for Chinese text:" \
	      "run 'sudo apt-get install $(CJK_FONT_PACKAGE)'. Until then they use a built-in font" \
	      "that PDF readers must supply."; \
	  fi; \
	fi

gettext:
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(GETTEXT_PACKAGE); \
	  else \
	    echo "The Chinese pages need msgfmt from the Debian package $(GETTEXT_PACKAGE):" \
	      "run 'sudo apt-get install $(GETTEXT_PACKAGE)'."; exit 1; \
	  fi; \
	fi

messages: install var/secret_key gettext
	$(DEMO_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: install var/secret_key fonts messages
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	$(DEMO_ENV) $(BIN)/python manage.py load_demo_catalog --parts $(DEMO_PARTS) --if-empty
	$(DEMO_ENV) $(BIN)/python manage.py load_demo_offers
	$(DEMO_ENV) $(BIN)/python manage.py ensure_demo_staff
	@echo "Serving the store at $(SITE_URL)/  (admin: $(SITE_URL)/admin/)"
	$(DEMO_ENV) ALLOWED_HOSTS=127.0.0.1,localhost $(BIN)/gunicorn shop.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - --log-level warning

test: install
	$(BIN)/python scripts/run_tests.py $(ARGS)

lint: install
	$(BIN)/ruff check .

lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet -e ".[dev]"
	{ echo "# Pinned versions of every package the store and its tests install."; \
	  echo "# Regenerate after changing pyproject.toml: make lock"; \
	  var/lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock

bench-import: install
	$(BIN)/python scripts/run_tests.py --services-only -- $(BIN)/python bench/catalog_import.py $(ARGS)

bench-storefront: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python scripts/run_tests.py --services-only -- $(BIN)/python bench/storefront.py $(ARGS)

clean:
	rm -rf $(VENV) var/test-services
