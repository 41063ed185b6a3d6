"""Full-text search on PostgreSQL: a weighted tsvector (title A, dek B, body C) kept by a
trigger, with a GIN index. Nothing to do on SQLite, where search uses a simple match."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
      setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
   || setweight(to_tsvector('english', coalesce(NEW.dek, '')), 'B')
   || setweight(to_tsvector('english', coalesce(regexp_replace(NEW.body, '<[^>]*>', ' ', 'g'), '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_search_vector_update
  BEFORE INSERT OR UPDATE OF title, dek, body ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();
CREATE INDEX articles_article_search_gin ON articles_article USING GIN (search_vector);
UPDATE articles_article SET title = title;
"""

BACKWARD = """
DROP INDEX IF EXISTS articles_article_search_gin;
DROP TRIGGER IF EXISTS articles_article_search_vector_update ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_roles")]

    operations = [migrations.RunPython(forward, backward)]
