using System.Buffers;
using NginxLite.Protocols.Cgi;
using NginxLite.Protocols.FastCgi;
using NginxLite.Protocols.Http1;
using NginxLite.Protocols.Uwsgi;
using NginxLite.TestSupport.Fuzz;
using Xunit.Abstractions;

namespace NginxLite.Protocols.Tests.Fuzz;

/// <summary>
/// Fixed-seed fuzz slices of every protocol reader (FuzzRun: mutated valid samples, structured and random inputs,
/// each read whole or split in two segments): the only exception is the reader's documented parse error, every read
/// loop makes progress or stops, allocation stays under a bound per input. tools/fuzz/run.sh runs them long.
/// </summary>
public sealed class ProtocolReaderFuzzTests(ITestOutputHelper output)
{
    private const long CiCount = 10_000;

    [Fact]
    public void FastCgiRecordReader_FuzzedInput_RejectsOnlyWithProtocolException()
    {
        var report = FuzzRun.Run("fastcgi", CiCount, FuzzInputs.Mix(FuzzSamples.FastCgi(), FuzzSamples.FastCgiTokens, FuzzSamples.FastCgiRecords), (input, pcg) =>
        {
            var reader = new SequenceReader<byte>(FuzzSamples.Split(input, pcg));
            while (FastCgiRecordReader.TryRead(ref reader, out var record))
            {
                _ = record.AppStatus + record.ProtocolStatus;
                if (record.Type == FastCgiRecordType.Params)
                {
                    var pairs = new SequenceReader<byte>(record.Content);
                    while (FastCgiParams.TryReadPair(ref pairs, out _, out _))
                    {
                    }
                }
            }

            // the params decoder on raw bytes too (what a FastCGI server reads)
            var raw = new SequenceReader<byte>(FuzzSamples.Split(input, pcg));
            while (FastCgiParams.TryReadPair(ref raw, out _, out _))
            {
            }
        }, [typeof(FastCgiProtocolException)]);
        output.WriteLine(report.ToString());
        Assert.True(report.Total == report.Settings.Count);
    }

    [Fact]
    public void UwsgiPacketReader_FuzzedInput_RejectsOnlyWithFormatException()
    {
        var report = FuzzRun.Run("uwsgi-packet", CiCount, FuzzInputs.Mix(FuzzSamples.Uwsgi(), FuzzSamples.FastCgiTokens, FuzzSamples.UwsgiPackets), (input, pcg) =>
        {
            var reader = new SequenceReader<byte>(FuzzSamples.Split(input, pcg));
            while (UwsgiPacketReader.TryRead(ref reader, out _, out _, out _))
            {
            }
        }, [typeof(FormatException)]);
        output.WriteLine(report.ToString());
        Assert.True(report.Total == report.Settings.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ResponseHeadParser_FuzzedInput_RejectsOnlyWithResponseHeadException(bool allowStatusLine)
    {
        // uwsgi responses (status line allowed) and FastCGI responses (CGI headers only)
        var report = FuzzRun.Run(allowStatusLine ? "uwsgi-response" : "fastcgi-response", CiCount,
            FuzzInputs.Mix(FuzzSamples.ResponseHeads, FuzzSamples.HeadTokens, FuzzSamples.HeadLines(allowStatusLine)), (input, pcg) =>
            {
                if (ResponseHeadParser.TryParse(FuzzSamples.Split(input, pcg), allowStatusLine, out var head, out var consumed))
                {
                    Assert.InRange(consumed, 1, input.Length);
                    Assert.InRange(head.Status, 0, 999);
                }
            }, [typeof(ResponseHeadException)]);
        output.WriteLine(report.ToString());
        Assert.True(report.Total == report.Settings.Count);
    }

    [Fact]
    public void CgiResponseHeaderReader_FuzzedInput_RejectsOnlyWithCgiProtocolException()
    {
        var report = FuzzRun.Run("cgi", CiCount, FuzzInputs.Mix(FuzzSamples.ResponseHeads, FuzzSamples.HeadTokens, FuzzSamples.HeadLines(statusLine: false)), (input, pcg) =>
        {
            var head = new CgiResponseHead();
            var reader = new SequenceReader<byte>(FuzzSamples.Split(input, pcg));
            if (CgiResponseHeaderReader.TryRead(ref reader, head))
            {
                Assert.True(head.IsComplete);
                Assert.InRange(head.HeaderBytes, 1, input.Length);
            }
        }, [typeof(CgiProtocolException)]);
        output.WriteLine(report.ToString());
        Assert.True(report.Total == report.Settings.Count);
    }

    [Fact]
    public void HttpResponseReaders_FuzzedInput_NeverThrowAndAlwaysProgress()
    {
        var report = FuzzRun.Run("http1-response", CiCount, FuzzInputs.Mix(FuzzSamples.HttpResponses, FuzzSamples.HeadTokens, FuzzSamples.HeadLines(statusLine: true)), (input, pcg) =>
        {
            var reader = new SequenceReader<byte>(FuzzSamples.Split(input, pcg));
            var head = new HttpResponseHead();
            for (var heads = 0; heads <= input.Length; heads++)
            {
                head.Reset();
                var status = HttpResponseHeadReader.TryRead(ref reader, head, out var error);
                if (status != ReadStatus.Complete)
                {
                    Assert.True(status == ReadStatus.Incomplete || error is not null, "Invalid without an error message");
                    return;
                }

                if (head.Status >= 200)
                {
                    break;
                }
            }

            var body = new ResponseBodyReader(head, headRequest: false);
            for (var steps = 0; steps <= input.Length + 2; steps++)
            {
                var before = reader.Consumed;
                var status = body.Read(ref reader, out var data);
                if (status == ReadStatus.Invalid)
                {
                    Assert.NotNull(body.Error);
                    return;
                }

                if (status == ReadStatus.Complete || (data.IsEmpty && reader.Consumed == before))
                {
                    return; // complete, or waiting for bytes that are not there
                }
            }

            Assert.Fail("the body reader did not stop");
        }, []);
        output.WriteLine(report.ToString());
        Assert.True(report.Total == report.Settings.Count);
    }
}
