"""The load generator's bulk inserts stay within the parameters PostgreSQL binds in one
statement: the portal binds on the server, where more is refused."""

from types import SimpleNamespace

from load_data.common import BATCH_SIZE, MAX_PARAMETERS, rows_per_insert


def a_model_with(columns: int):
    return SimpleNamespace(_meta=SimpleNamespace(concrete_fields=[object()] * columns))


def test_a_wide_model_is_inserted_in_smaller_batches():
    assert rows_per_insert(a_model_with(10)) == BATCH_SIZE
    assert rows_per_insert(a_model_with(40)) == MAX_PARAMETERS // 40 < BATCH_SIZE
    assert rows_per_insert(a_model_with(40)) * 40 <= MAX_PARAMETERS
    assert rows_per_insert(a_model_with(100_000)) == 1
