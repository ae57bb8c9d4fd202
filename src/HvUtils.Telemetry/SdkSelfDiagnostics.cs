using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace HvUtils.Telemetry;

/// <summary>
/// Stops the OpenTelemetry SDK's self-diagnostics refresher. The SDK starts it with the first
/// provider and cannot be told not to: every 10 s it looks for <c>OTEL_DIAGNOSTICS.json</c> in the
/// working and binary directories — ~1.3 wake-ups/s of an otherwise idle daemon (issue 8 §7) — and,
/// if the file appears, creates a log file: a disk write the freeze rule forbids (design.md rule 4).
/// Its events could not reach that file anyway: the daemon is published with EventSource support
/// off. The type is internal to the SDK; the DynamicDependency keeps its field for the AOT
/// compiler, and the constant names let the trimming analysis check the lookup (no warnings).
/// (UnsafeAccessorType cannot return a field of an inaccessible type, so reflection it is.)
/// </summary>
internal static class SdkSelfDiagnostics
{
    internal const string TypeName = "OpenTelemetry.Internal.SelfDiagnostics, OpenTelemetry";

    /// <summary>Disposes the SDK's refresher (idempotent); returns null, or why it could not (another SDK version).</summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.NonPublicFields, "OpenTelemetry.Internal.SelfDiagnostics", "OpenTelemetry")]
    public static string? Stop()
    {
        FieldInfo? instance = Type.GetType(TypeName, throwOnError: false)?.GetField("Instance", BindingFlags.NonPublic | BindingFlags.Static);
        if (instance?.GetValue(null) is not IDisposable diagnostics)
        {
            return $"{TypeName}.Instance not found (OpenTelemetry SDK version changed?)";
        }
        diagnostics.Dispose();
        return null;
    }
}
