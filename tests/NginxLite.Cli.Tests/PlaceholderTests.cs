namespace NginxLite.Cli.Tests;
