using System.Diagnostics;
using HvUtils.Core.Channels;
using HvUtils.Vss.Freezing;
using HvUtils.Vss.Hooks;
using HvUtils.Vss.Planning;
using Microsoft.Extensions.Logging;

namespace HvUtils.Vss;

// FREEZE and THAW (spec/vss.md §5.4, §5.5), with hooks around them.
public sealed partial class VssChannel
{
    private volatile int _frozenCount;
    private volatile string[] _frozenSnapshot = [];

    /// <summary>Publishes what is frozen for other threads (status, metrics, reload gate): they never touch the freezer's own list.</summary>
    private void PublishFrozen()
    {
        _frozenSnapshot = [.. _freezer.Frozen];
        _frozenCount = _frozenSnapshot.Length;
    }

    /// <summary>
    /// Picks up a configuration reload (include/exclude, hooks directory and timeout, freeze
    /// deadline…) at the start of a FREEZE: never mid-freeze, and reloads are held back while
    /// anything is frozen anyway (design.md rule 4).
    /// </summary>
    private void TakeReloadedOptions()
    {
        VssOptions? current = _live?.CurrentValue;
        if (current is null || ReferenceEquals(current, _options))
        {
            return;
        }
        _options = current;
        _planner = new FreezePlanner(current, _devices);
        _hooks = new FreezeHooks(current.HooksDirectory, current.HookTimeout, _log, _metrics);
        _log.LogInformation("VSS settings reloaded: include {Include}, exclude {Exclude}, hooks {Hooks} (timeout {HookTimeout}), deadline {Deadline}",
            string.Join(",", current.Include), string.Join(",", current.Exclude), current.HooksDirectory, current.HookTimeout, current.FreezeDeadline);
    }

    private long _frozenSince;
    private bool _autoThawed;
    private string[] _frozenMounts = [];

    private (uint Status, string Outcome) Freeze()
    {
        if (_thawPending)
        {
            _log.LogError("FREEZE refused: {Count} filesystem(s) from the previous freeze are still frozen and being retried", _freezer.Frozen.Count);
            return Finish(HvStatus.E_FAIL, "refused");
        }
        if (_freezer.AnyFrozen)
        {
            // A second FREEZE without THAW: the filesystems are frozen already (the C daemon's EBUSY tolerance).
            _log.LogWarning("FREEZE while already frozen: {Count} filesystem(s) stay frozen", _freezer.Frozen.Count);
            return Finish(HvStatus.S_OK, "success");
        }
        TakeReloadedOptions();
        FreezePlan plan = _planner.PlanFromFile(_options.MountInfoPath);
        LogPlan(plan);
        if (RuntimeDirectoryConflict(plan) is { } conflict)
        {
            _log.LogError("FREEZE refused: {Reason}", conflict);
            return Finish(HvStatus.E_FAIL, "failure");
        }
        string[] mounts = [.. plan.MountPoints];
        IReadOnlyList<FreezeHook> hooks = _hooks.List();
        IReadOnlyList<HookRun> prepared = _hooks.Run(hooks, FreezeHooks.Freeze, mounts, stopOnFailure: !_options.HooksBestEffort);
        if (!_options.HooksBestEffort && prepared.Any(r => !r.Succeeded))
        {
            _log.LogError("FREEZE aborted: hook {Hook} failed ({Outcome}); nothing was frozen", prepared[^1].Hook.Name, prepared[^1].Outcome);
            RunHooksReversed(prepared.Select(r => r.Hook), FreezeHooks.FreezeFail, mounts);
            return Finish(HvStatus.E_FAIL, "hook_failure");
        }
        return FreezePlanned(plan, mounts, prepared);
    }

    private (uint Status, string Outcome) FreezePlanned(FreezePlan plan, string[] mounts, IReadOnlyList<HookRun> prepared)
    {
        _autoThawed = false;
        _frozenMounts = mounts;
        _log.Hold();
        _frozenSince = Stopwatch.GetTimestamp();
        FreezeOutcome outcome = _freezer.FreezeAll(plan);
        PublishFrozen();
        if (!outcome.Succeeded)
        {
            if (_freezer.AnyFrozen)
            {
                EnterThawRetry();
            }
            else
            {
                _log.Release();
                _metrics?.RecordFrozenFor(Stopwatch.GetElapsedTime(_frozenSince), "failure");
                RunHooksReversed(prepared.Select(r => r.Hook), FreezeHooks.FreezeFail, mounts);
            }
            _log.LogError("VSS: op=FREEZE: failed: {Detail}", outcome.Detail);
            return Finish(HvStatus.E_FAIL, "failure");
        }
        if (!_freezer.AnyFrozen)
        {
            _log.Release();
            _log.LogWarning("VSS: op=FREEZE: succeeded, but the plan froze nothing ({Skipped} mounts skipped; see 'hvutils vss plan')", plan.Skipped.Count);
            return Finish(HvStatus.S_OK, "success");
        }
        _timer.Arm(_options.FreezeDeadline);
        _log.LogInformation("VSS: op=FREEZE: succeeded: froze {Mounts}; thawing by itself in {Deadline} unless THAW comes first",
            string.Join(", ", _freezer.Frozen), _options.FreezeDeadline);
        return Finish(HvStatus.S_OK, "success");
    }

    private (uint Status, string Outcome) Thaw()
    {
        if (!_freezer.AnyFrozen)
        {
            if (_autoThawed)
            {
                // The snapshot may have been taken after our deadline thawed: tell the host it is not trustworthy.
                _autoThawed = false;
                _log.LogError("VSS: op=THAW: the freeze deadline ({Deadline}) had already thawed everything; answering HV_E_FAIL", _options.FreezeDeadline);
                return (HvStatus.E_FAIL, "deadline_expired");
            }
            return (HvStatus.S_OK, "success");
        }
        bool thawed = ThawNow("thaw");
        return thawed ? (HvStatus.S_OK, "success") : (HvStatus.E_FAIL, "failure");
    }

    private (uint Status, string Outcome) Finish(uint status, string outcome)
    {
        _metrics?.RecordFreeze(outcome);
        return (status, outcome);
    }

    private void RunHooksReversed(IEnumerable<FreezeHook> hooks, string operation, IReadOnlyList<string> mounts)
    {
        IReadOnlyList<HookRun> runs = _hooks.Run(hooks.Reverse(), operation, mounts, stopOnFailure: false);
        int failed = runs.Count(r => !r.Succeeded);
        if (failed > 0)
        {
            _log.LogError("{Failed} of {Count} {Operation} hook(s) failed", failed, runs.Count, operation);
        }
    }

    private void LogPlan(FreezePlan plan)
    {
        foreach (string note in plan.Notes)
        {
            _log.LogWarning("freeze plan: {Note}", note);
        }
        _log.LogDebug("freeze plan: {Targets}", plan.Targets.Count == 0 ? "nothing to freeze" : string.Join(", ", plan.MountPoints));
        foreach (SkippedMount s in plan.Skipped)
        {
            _log.LogDebug("freeze plan: skipping {MountPoint} ({FsType} from {Source}): {Reason}", s.MountPoint, s.FsType, s.Source, s.Reason);
        }
    }
}
