"""Trace executor jobs and phases during one-entry setup."""
import asyncio, sys, time, traceback, cProfile, pstats, io
sys.path.insert(0, "/work/main")
from benchmarks import bench
from homeassistant.core import HomeAssistant

REAL = time.perf_counter
orig = HomeAssistant.async_add_executor_job
log = []
def traced(self, target, *args):
    start = REAL()
    fut = orig(self, target, *args)
    name = getattr(target, "__qualname__", repr(target))
    fut.add_done_callback(lambda f: log.append((name, (REAL()-start)*1000)))
    return fut
HomeAssistant.async_add_executor_job = traced

async def main(n, prof):
    with bench.reference_integration():
        async with bench.bench_hass() as hass:
            await bench.setup_side(hass, bench.OURS, 1, {})
        for i in range(3):
            log.clear()
            async with bench.bench_hass() as hass:
                pr = cProfile.Profile() if (prof and i == 2) else None
                if pr: pr.enable()
                t, _ = await bench.setup_side(hass, bench.OURS, n, {})
                if pr: pr.disable()
            print(f"round {i}: {t*1000:.1f} ms, loop cpu {bench.LOOP_CPU[-1]*1000:.1f}")
            for name, ms in log: print(f"   exec {name}: {ms:.1f} ms")
        if prof:
            s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(45); print(s.getvalue())
asyncio.run(main(int(sys.argv[1]), len(sys.argv) > 2))
