namespace NginxLite.Config.Tests;
