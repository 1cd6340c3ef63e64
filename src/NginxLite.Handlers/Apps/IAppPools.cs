namespace NginxLite.Handlers.Apps;

/// <summary>The running app pools by <c>app NAME</c> (the supervisor; swapped pools are found by name after a reload).</summary>
public interface IAppPools
{
    IAppPool? Find(string name);
}
