# The Maillage API, configured by environment variables (see README, "Configuration").
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY graph ./graph
COPY analysis ./analysis
COPY ingest ./ingest
COPY viz ./viz
RUN pip install --no-cache-dir .
ENV MAILLAGE_HOST=0.0.0.0 \
    MAILLAGE_PORT=8000
EXPOSE 8000
RUN useradd --create-home maillage
USER maillage
CMD ["maillage", "serve"]
