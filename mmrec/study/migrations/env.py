"""Alembic environment: migrations run on the connection :func:`mmrec.study.store.open_store` passes in."""

from alembic import context

from mmrec.study.schema import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
