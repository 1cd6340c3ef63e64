namespace NginxLite.Cli.Apps;

/// <summary>Which command-line front end: <c>nginxlite wsgi</c> (gunicorn's options) or <c>nginxlite rack</c> (rackup's).</summary>
internal enum AppFrontEnd
{
    Wsgi,
    Rack,
}
