// The shipped artifacts are Linux-only, and so are the tools that check them.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
