using System.Runtime.InteropServices;

namespace NginxLite.Config.Validation.Checks;

/// <summary>Looks users and groups up through libc (NSS), as nginx's <c>user</c> directive does.</summary>
internal static partial class SystemAccounts
{
    public static bool UserExists(string name) => OperatingSystem.IsWindows() || GetPwNam(name) != IntPtr.Zero;

    public static bool GroupExists(string name) => OperatingSystem.IsWindows() || GetGrNam(name) != IntPtr.Zero;

    [DllImport("libc", EntryPoint = "getpwnam")]
    private static extern IntPtr GetPwNam([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "getgrnam")]
    private static extern IntPtr GetGrNam([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
