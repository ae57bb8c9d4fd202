using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvUtils.Core.Configuration;

/// <summary>
/// Applies edits of the admin file (<c>/etc/hvutils/appsettings.json</c> or <c>--config</c>)
/// while hvutilsd runs (docs/monitoring.md "Reloading the configuration"). Watches only that
/// file's directory (inotify, non-recursive; no polling, no wake-ups while idle), debounces
/// editors' bursts, then: defers while any <see cref="IReloadGate"/> is closed (frozen),
/// rebuilds every layer, stages the candidate, binds and validates every options section
/// and the logging filters against it, and commits — or rejects it with one log line and
/// keeps the last good configuration.
/// </summary>
public sealed partial class ConfigurationReloader(
    LiveConfigurationProvider provider,
    IConfiguration configuration,
    IServiceProvider services,
    IEnumerable<IOptionsCheck> checks,
    IEnumerable<IReloadGate> gates,
    OptionsSections sections,
    TimeProvider time,
    ILogger<ConfigurationReloader> logger) : IHostedService, IDisposable
{
    /// <summary>Editors write in bursts (truncate, write, rename): act once it has been quiet this long.</summary>
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    /// <summary>How often a reload held back by a closed gate is tried again (only while one is pending).</summary>
    internal static readonly TimeSpan GateRetry = TimeSpan.FromSeconds(5);

    private readonly LiveConfigurationProvider? _provider = provider;
    private readonly Lock _lock = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _timer;

    /// <summary>Raised after every reload attempt with its result (tests, status).</summary>
    public event Action<ReloadResult>? Reloaded;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_provider is null)
        {
            return Task.CompletedTask;
        }
        string file = _provider.AdminFile;
        string? directory = Path.GetDirectoryName(file);
        if (directory is null || !Directory.Exists(directory))
        {
            // Never fall back to watching a parent such as /etc or / (stack.md: a watcher on / costs seconds).
            logger.LogInformation("configuration reload off: {Directory} does not exist (create it and restart to enable)", directory);
            return Task.CompletedTask;
        }
        _timer = time.CreateTimer(_ => Apply(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(directory, Path.GetFileName(file))
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += OnFileEvent;
        _watcher.Created += OnFileEvent;
        _watcher.Renamed += OnFileEvent;
        _watcher.Deleted += OnFileEvent;
        _watcher.EnableRaisingEvents = true;
        logger.LogDebug("watching {File} for configuration changes", file);
        return Task.CompletedTask;
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _timer?.Change(Debounce, Timeout.InfiniteTimeSpan);

    /// <summary>One reload attempt now (the watcher's debounced callback; tests call it directly).</summary>
    public ReloadResult Apply()
    {
        ReloadResult result;
        lock (_lock)
        {
            result = ApplyLocked();
        }
        Reloaded?.Invoke(result);
        return result;
    }

    private ReloadResult ApplyLocked()
    {
        if (_provider is null)
        {
            return ReloadResult.Unchanged;
        }
        foreach (IReloadGate gate in gates)
        {
            if (!gate.CanApply(out string reason))
            {
                logger.LogInformation("configuration reload deferred: {Reason}", reason);
                _timer?.Change(GateRetry, Timeout.InfiniteTimeSpan);
                return ReloadResult.Deferred;
            }
        }
        Dictionary<string, string?> candidate;
        try
        {
            candidate = _provider.ReadLayers();
        }
        catch (ConfigurationException ex)
        {
            return Reject(ex.Error.ToString());
        }
        Dictionary<string, string?> current = _provider.Snapshot();
        IReadOnlyList<string> changed = ChangedKeys(current, candidate);
        if (changed.Count == 0)
        {
            return ReloadResult.Unchanged;
        }
        IDictionary<string, string?> old = _provider.Stage(candidate);
        if (Validate() is { } error)
        {
            _provider.Stage(old);
            return Reject(error);
        }
        _provider.Commit();
        IReadOnlyList<string> restart = [.. changed.Where(RequiresRestart)];
        if (restart.Count > 0)
        {
            logger.LogWarning("configuration reloaded; these changes take effect after a restart of hvutilsd: {Keys}", string.Join(", ", restart));
        }
        logger.LogInformation("configuration reloaded from {File}: {Keys}", _provider.AdminFile, string.Join(", ", changed));
        return ReloadResult.Applied;
    }

    private ReloadResult Reject(string error)
    {
        logger.LogError("configuration reload rejected, the last good configuration stays in force: {Error}", error);
        return ReloadResult.Rejected;
    }

    /// <summary>Binds and validates every section against the staged keys; returns the first errors, or null.</summary>
    private string? Validate()
    {
        var errors = new List<string>();
        foreach (IOptionsCheck check in checks)
        {
            try
            {
                check.Check(services);
            }
            catch (Exception ex)
            {
                IReadOnlyList<ConfigurationError> found = ConfigurationErrors.From(ex, configuration, sections);
                errors.AddRange(found.Count > 0 ? found.Select(e => e.ToString()) : [ex.Message]);
            }
        }
        try
        {
            // The logging filters throw on an unknown level name: check them before they see it.
            services.GetService<IOptionsFactory<LoggerFilterOptions>>()?.Create(Options.DefaultName);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"invalid configuration: Logging: {ex.Message}");
        }
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    private static IReadOnlyList<string> ChangedKeys(Dictionary<string, string?> current, Dictionary<string, string?> candidate)
    {
        var changed = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string? value) in candidate)
        {
            if (!current.TryGetValue(key, out string? old) || old != value)
            {
                changed.Add(key);
            }
        }
        foreach (string key in current.Keys)
        {
            if (!candidate.ContainsKey(key))
            {
                changed.Add(key);
            }
        }
        return [.. changed];
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _timer?.Dispose();
        _timer = null;
    }
}

public enum ReloadResult
{
    /// <summary>The file changed nothing (e.g. touched, or a change of whitespace).</summary>
    Unchanged,

    Applied,

    /// <summary>Invalid: logged once, nothing changed.</summary>
    Rejected,

    /// <summary>A gate is closed (a filesystem is frozen): retried later.</summary>
    Deferred,
}
