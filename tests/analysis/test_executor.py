"""Executors: the serial runner, the local process pool and a real Dask LocalCluster give
the same numbers; results stream back with their index; cancelling stops the stream."""

import math
import threading

import pytest

from reserve_planner.analysis import (
    DaskExecutor,
    LocalExecutor,
    SerialExecutor,
    make_executor,
    run_sweep,
    tornado_variants,
)


def _square(x):
    return x * x


def _pairs(executor, values, cancel=None):
    return dict(executor.map_unordered(_square, [(v,) for v in values], cancel))


def test_serial_and_pool_return_every_index_with_its_result():
    values = list(range(7))
    expected = {i: v * v for i, v in enumerate(values)}
    assert _pairs(SerialExecutor(), values) == expected
    with LocalExecutor(2) as pool:
        assert _pairs(pool, values) == expected
        assert _pairs(pool, [3]) == {0: 9}  # the pool is kept between calls
        assert _pairs(pool, []) == {}


def test_cancel_stops_the_stream():
    cancel = threading.Event()
    seen = []
    for i, r in SerialExecutor().map_unordered(_square, [(v,) for v in range(10)], cancel):
        seen.append((i, r))
        if len(seen) == 3:
            cancel.set()
    assert seen == [(0, 0), (1, 1), (2, 4)]
    with LocalExecutor(2) as pool:
        cancel = threading.Event()
        got = []
        for item in pool.map_unordered(_square, [(v,) for v in range(200)], cancel):
            got.append(item)
            cancel.set()
        assert len(got) == 1


def test_make_executor_picks_by_workers_and_rejects_zero():
    assert isinstance(make_executor(workers=1), SerialExecutor)
    ex = make_executor(workers=2)
    assert isinstance(ex, LocalExecutor) and ex.workers == 2
    ex.close()
    with pytest.raises(ValueError, match="at least 1"):
        make_executor(workers=0)
    with pytest.raises(ValueError, match="at least 1"):
        LocalExecutor(0)


def test_unreachable_scheduler_is_a_connection_error_naming_the_address():
    with pytest.raises(ConnectionError, match="tcp://127.0.0.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", timeout_s=1.0)


def test_sweep_on_a_dask_local_cluster_matches_the_local_pool(small):
    from distributed import LocalCluster

    variants = tornado_variants(small, groups=["storage_cost", "tariff", "shortage_cost"])
    with LocalExecutor(2) as pool:
        local = run_sweep(variants, executor=pool)
    with (LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                       dashboard_address=None) as cluster,
          DaskExecutor(cluster.scheduler_address) as dask_ex):
        assert dask_ex.workers == 2
        assert "Dask cluster" in dask_ex.description
        seen = []
        remote = run_sweep(variants, executor=dask_ex,
                           on_result=lambda row, done, total: seen.append((done, total)))
    assert [d for d, _ in seen] == list(range(1, len(variants) + 1))
    assert all(t == len(variants) for _, t in seen)
    assert len(remote) == len(local) == len(variants)
    for a, b in zip(local.rows, remote.rows, strict=True):
        assert a.variant.name == b.variant.name
        assert math.isclose(a.outcome.objective_usd, b.outcome.objective_usd, rel_tol=1e-12)
        assert a.outcome.reserve_t == pytest.approx(b.outcome.reserve_t, rel=1e-9, abs=1e-9)
        assert a.outcome.floor_usd_per_kg == b.outcome.floor_usd_per_kg
