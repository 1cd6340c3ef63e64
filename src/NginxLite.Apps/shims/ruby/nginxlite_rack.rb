# frozen_string_literal: true
#
# NginxLite Rack worker: a Rack 2 (Debian ruby-rack 2.2) server on a Unix socket speaking the uwsgi protocol.
#
#   ruby nginxlite_rack.rb --socket PATH --rackup CONFIG.RU [--threads N] [--chdir DIR] [--listen-backlog N]
#        [--buffer-size BYTES] [--socket-mode OCTAL] [--loader]
#
# With --loader (lazy_apps off, uWSGI's default) the process loads config.ru once, listens on --socket as a
# SOCK_SEQPACKET control socket and forks workers on request; see RackLoader.
#
# The worker contract is docs/app-shims.md: NGINXLITE-READY on stdout once listening, exit 22 when config.ru does
# not load (uWSGI's "no app loaded"), 1 on other start-up failures, 0 after a graceful SIGTERM/SIGINT.
# One request per connection: the uwsgi packet (https://uwsgi-docs.readthedocs.io/en/latest/Protocol.html), then
# the body, then a raw HTTP response delimited by closing the connection. The env follows the Rack 2 SPEC
# (rack/lib/rack/lint.rb is its executable form).

require 'io/wait'
require 'optparse'
require 'socket'
require 'stringio'
require 'uri' # Rack::Lint (2.2) checks SERVER_NAME with URI.parse without requiring it

READY_LINE = "NGINXLITE-READY\n"
EXIT_APP_LOAD_FAILED = 22
EXIT_STARTUP_FAILED = 1
RECV_SIZE = 65_536
# Bodies up to this size are read at once into a StringIO (rewindable for free); larger ones and chunked ones are
# streamed through Rack::RewindableInput, which spools to a Tempfile only when the app reads.
SMALL_BODY = 65_536
DRAIN_TIMEOUT = 10 # seconds to wait for an unread body's end or the front end's close after the response

def log(message)
  $stderr.write("nginxlite_rack[#{Process.pid}]: #{message}\n")
  $stderr.flush
end

# Raised when the front end goes away mid-body or mid-response.
class ClientDisconnected < IOError; end

# The request body after the uwsgi packet: IO#read(length, buffer) semantics (nil at EOF when a length is given),
# which is what Rack::RewindableInput consumes.
class LengthBody
  def initialize(sock, leftover, length)
    @sock = sock
    @raw = leftover
    @remaining = length
  end

  def read(length = nil, buffer = nil)
    out = buffer ? buffer.replace(''.b) : ''.b
    return(length.nil? || length.zero? ? out : nil) if @remaining <= 0

    want = length.nil? ? @remaining : [length, @remaining].min
    out << next_raw(want - out.bytesize) while out.bytesize < want
    out
  end

  def pending?
    @remaining.positive?
  end

  def drain
    read(RECV_SIZE) while @remaining.positive? && @sock.wait_readable(DRAIN_TIMEOUT)
  end

  private

  def next_raw(max)
    if @raw && !@raw.empty?
      chunk = @raw.byteslice(0, max)
      @raw = @raw.byteslice(chunk.bytesize..-1)
    else
      chunk = @sock.readpartial([max, RECV_SIZE].min)
    end
    @remaining -= chunk.bytesize
    chunk
  rescue EOFError
    @remaining = 0
    raise ClientDisconnected, 'the front end closed the connection before the end of the body'
  end
end

# No CONTENT_LENGTH and Transfer-Encoding: chunked: HTTP chunked coding (RFC 9112 7.1) decoded here.
class ChunkedBody
  def initialize(sock, leftover)
    @sock = sock
    @raw = leftover.b
    @left = 0
    @done = false
  end

  def read(length = nil, buffer = nil)
    out = buffer ? buffer.replace(''.b) : ''.b
    while length.nil? || out.bytesize < length
      break unless fill_chunk

      n = @left
      n = [n, length - out.bytesize].min if length
      n = [n, @raw.bytesize].min
      out << @raw.byteslice(0, n)
      @raw = @raw.byteslice(n..-1)
      @left -= n
      finish_chunk if @left.zero?
    end
    return nil if length&.positive? && out.empty?

    out
  end

  def pending?
    !@done
  end

  def drain
    read(RECV_SIZE) until @done || !@sock.wait_readable(DRAIN_TIMEOUT)
  end

  private

  def recv
    @raw << @sock.readpartial(RECV_SIZE)
  rescue EOFError
    @done = true
    raise ClientDisconnected, 'the front end closed the connection inside a chunked body'
  end

  def line
    until (i = @raw.index("\r\n"))
      raise IOError, 'chunked body: chunk-size line too long' if @raw.bytesize > 8192

      recv
    end
    text = @raw.byteslice(0, i)
    @raw = @raw.byteslice(i + 2..-1)
    text
  end

  # True when chunk data is available in @raw (@left > 0), false at the end of the body.
  def fill_chunk
    return false if @done

    if @left.zero?
      size_text = line.split(';', 2).first.strip
      raise IOError, "chunked body: bad chunk size #{size_text[0, 32].inspect}" unless size_text.match?(/\A\h+\z/)

      @left = size_text.to_i(16)
      if @left.zero?
        nil until line.empty? # trailer fields
        @done = true
        return false
      end
    end
    recv if @raw.empty?
    true
  end

  def finish_chunk
    recv while @raw.bytesize < 2
    raise IOError, 'chunked body: missing CRLF after chunk data' unless @raw.start_with?("\r\n")

    @raw = @raw.byteslice(2..-1)
  end
end

# One Rack app served on one listening socket.
class RackWorker
  MODIFIERS = [0, 5].freeze

  def initialize(app, threads, buffer_size)
    @app = app
    @buffer_size = buffer_size
    @base_env = {
      'rack.version' => Rack::VERSION,
      'rack.errors' => $stderr,
      'rack.multithread' => threads > 1,
      'rack.multiprocess' => true, # the supervisor may run several workers of one app
      'rack.run_once' => false,
      'rack.hijack?' => false, # one request per uwsgi connection; hijacking is not offered
      'SCRIPT_NAME' => '',
    }.freeze
  end

  def handle(sock)
    packet = read_packet(sock)
    return unless packet

    env, leftover = packet
    body = make_input(env, sock, leftover)
    return unless body

    env['rack.input'] = body.first
    serve(sock, env)
  ensure
    drain(sock, body)
  end

  private

  def read_packet(sock)
    data = sock.readpartial(RECV_SIZE)
    data << sock.readpartial(RECV_SIZE) while data.bytesize < 4
    modifier1, size = data.unpack('CS<')
    unless MODIFIERS.include?(modifier1)
      log("refused a request with uwsgi modifier1 #{modifier1} (only 0 = Rack is served)")
      return nil
    end
    if size > @buffer_size
      log("refused a request: uwsgi vars block of #{size} bytes is larger than buffer-size #{@buffer_size}")
      return nil
    end
    data << sock.readpartial(RECV_SIZE) while data.bytesize < 4 + size
    env = @base_env.dup
    pos = 4
    stop = 4 + size
    while pos < stop
      klen = data.unpack1('S<', offset: pos)
      key = data.byteslice(pos + 2, klen)
      pos += 2 + klen
      vlen = data.unpack1('S<', offset: pos)
      raise ArgumentError, 'truncated var' if vlen.nil? || key.nil? || key.bytesize != klen

      env[key] = data.byteslice(pos + 2, vlen)
      pos += 2 + vlen
    end
    if pos != stop
      log('refused a request: malformed uwsgi vars block')
      return nil
    end
    [env, data.byteslice(stop..-1)]
  rescue EOFError, ArgumentError, TypeError
    nil
  end

  # Returns [rack.input, streaming reader or nil] or nil to refuse the request.
  def make_input(env, sock, leftover)
    # Rack SPEC: CONTENT_TYPE/CONTENT_LENGTH, never HTTP_CONTENT_TYPE/HTTP_CONTENT_LENGTH (nginx sends both).
    ct = env.delete('HTTP_CONTENT_TYPE')
    env['CONTENT_TYPE'] = ct if ct && !env.key?('CONTENT_TYPE')
    env.delete('HTTP_CONTENT_LENGTH')
    env['QUERY_STRING'] ||= ''
    env['PATH_INFO'] ||= ''
    env['REQUEST_METHOD'] ||= 'GET'
    env['SERVER_NAME'] ||= 'localhost'
    env['SERVER_PORT'] ||= '80'
    env['SERVER_PROTOCOL'] ||= 'HTTP/1.0'
    scheme = env['UWSGI_SCHEME']
    scheme = %w[on 1].include?(env['HTTPS'].to_s.downcase) ? 'https' : 'http' unless %w[http https].include?(scheme)
    env['rack.url_scheme'] = scheme

    length_text = env['CONTENT_LENGTH']
    # nginx's uwsgi_params sends CONTENT_LENGTH even when empty; the SPEC (Rack::Lint) wants digits or no key.
    env.delete('CONTENT_LENGTH') if length_text&.empty?
    if length_text && !length_text.empty?
      unless length_text.match?(/\A\d+\z/)
        log("refused a request: bad CONTENT_LENGTH #{length_text[0, 32].inspect}")
        return nil
      end
      length = length_text.to_i
      reader = LengthBody.new(sock, leftover, length)
      return [StringIO.new(reader.read(length) || ''.b), nil] if length <= SMALL_BODY

      [Rack::RewindableInput.new(reader), reader]
    elsif env['HTTP_TRANSFER_ENCODING'].to_s.downcase.include?('chunked')
      reader = ChunkedBody.new(sock, leftover)
      [Rack::RewindableInput.new(reader), reader]
    else
      [StringIO.new(''.b), nil]
    end
  end

  # The app answered without reading the whole body. nginx stops sending a request body once the upstream's
  # response has begun and waits for the response to end, so end it first (close_write: the front end sees EOF),
  # then drop the rest of the body until it is consumed or the front end closes (bounded). Closing with unread
  # data would make nginx's next read fail with ECONNRESET instead of EOF.
  def drain(sock, body)
    return unless body

    input, reader = body
    input.close if input.is_a?(Rack::RewindableInput)
    return unless reader&.pending?

    sock.close_write
    reader.drain
  rescue IOError, SystemCallError
    nil
  end

  def serve(sock, env)
    protocol = env['SERVER_PROTOCOL']
    head_only = env['REQUEST_METHOD'] == 'HEAD'
    head_sent = false
    response_body = nil
    begin
      status, headers, response_body = @app.call(env)
      head = status_line(protocol, status) + header_lines(headers)
      if head_only
        write(sock, head)
      else
        response_body.each do |chunk|
          next if chunk.nil? || chunk.empty?

          if head_sent
            write(sock, chunk)
          else
            write(sock, head + chunk.b)
            head_sent = true
          end
        end
        write(sock, head) unless head_sent
      end
      head_sent = true
    rescue ClientDisconnected => e
      log("client disconnected during the response: #{e.message}")
    rescue StandardError, ScriptError => e
      log_exception(e)
      error_500(sock, protocol, head_only) unless head_sent
    ensure
      close_body(response_body)
    end
  end

  def status_line(protocol, status)
    code = status.to_i
    reason = Rack::Utils::HTTP_STATUS_CODES[code] || 'Unknown'
    "#{protocol} #{code} #{reason}\r\n".b
  end

  # Rack 2 SPEC: header values are Strings; several values of one header are separated by "\n".
  def header_lines(headers)
    out = +''
    headers.each do |name, value|
      raise TypeError, "header #{name.inspect} value must be a String" unless value.is_a?(String)

      value.split("\n").each do |v|
        out << name << ': ' << v << "\r\n"
      end
    end
    out << "\r\n"
    out.b
  end

  def write(sock, data)
    sock.write(data)
  rescue Errno::EPIPE, Errno::ECONNRESET => e
    raise ClientDisconnected, e.message
  end

  def close_body(body)
    body.close if body.respond_to?(:close)
  rescue StandardError => e
    log_exception(e)
  end

  def error_500(sock, protocol, head_only)
    text = "Internal Server Error\n"
    head = "#{protocol} 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: #{text.bytesize}\r\n\r\n"
    sock.write(head_only ? head : head + text)
  rescue IOError, SystemCallError
    nil
  end
end

def log_exception(error)
  $stderr.write("#{error.class}: #{error.message}\n")
  (error.backtrace || []).each { |line| $stderr.write("\t#{line}\n") }
  $stderr.flush
end

def parse_args(argv)
  opts = { threads: 1, backlog: 100, buffer_size: 4096, socket_mode: 0o660 }
  parser = OptionParser.new do |o|
    o.banner = 'usage: ruby nginxlite_rack.rb --socket PATH --rackup CONFIG.RU [options]'
    o.on('--socket PATH') { |v| opts[:socket] = v }
    o.on('--rackup FILE') { |v| opts[:rackup] = v }
    o.on('--threads N', Integer) { |v| opts[:threads] = v }
    o.on('--chdir DIR') { |v| opts[:chdir] = v }
    o.on('--listen-backlog N', Integer) { |v| opts[:backlog] = v }
    o.on('--buffer-size BYTES', Integer) { |v| opts[:buffer_size] = v }
    o.on('--socket-mode OCTAL') { |v| opts[:socket_mode] = Integer(v, 8) }
    o.on('--loader') { opts[:loader] = true } # lazy_apps off: load once, then fork the workers (RackLoader)
  end
  parser.parse!(argv)
  raise OptionParser::InvalidArgument, "unexpected #{argv.join(' ')}" unless argv.empty?
  raise OptionParser::MissingArgument, '--socket and --rackup are required' unless opts[:socket] && opts[:rackup]
  raise OptionParser::InvalidArgument, '--threads must be at least 1' if opts[:threads] < 1

  opts
rescue OptionParser::ParseError, ArgumentError => e
  $stderr.write("nginxlite_rack: #{e.message}\n#{parser}\n")
  exit EXIT_STARTUP_FAILED
end

def load_app(rackup)
  require 'rack'
  # Rack 2: Builder.parse_file returns [app, options]; Rack 3 returns the app alone.
  app, = Rack::Builder.parse_file(rackup)
  app
rescue Exception => e # rubocop:disable Lint/RescueException -- SyntaxError, LoadError, exit in config.ru: no app
  log_exception(e)
  log("no application could be loaded from #{rackup} (exit #{EXIT_APP_LOAD_FAILED})")
  exit EXIT_APP_LOAD_FAILED
end

# A Unix socket listening on PATH (a stale socket file there is replaced) with MODE: a worker's UNIXServer, or the
# loader's SOCK_SEQPACKET control socket.
def bind(path, mode, backlog, seqpacket: false)
  File.unlink(path) if File.exist?(path) && !File.directory?(path)
  server = if seqpacket
             Socket.new(:UNIX, :SEQPACKET).tap { |s| s.bind(Socket.sockaddr_un(path)) }
           else
             UNIXServer.new(path)
           end
  File.chmod(mode, path)
  server.listen(backlog)
  server
end

def say_ready
  $stdout.write(READY_LINE)
  $stdout.flush
  $stdout.reopen($stderr) # fd 1 becomes fd 2: what the app prints reaches the error log
  $stdout.sync = true
end

# Binds PATH, says NGINXLITE-READY and serves until SIGTERM/SIGINT; the exit status. A worker started by the
# supervisor and one forked by the loader run this same code.
def serve(opts, path, app)
  begin
    listener = bind(path, opts[:socket_mode], opts[:backlog])
  rescue SystemCallError => e
    log("cannot listen on #{path}: #{e.message}")
    return EXIT_STARTUP_FAILED
  end

  worker = RackWorker.new(app, opts[:threads], opts[:buffer_size])
  stopping = false
  wake_r, wake_w = IO.pipe
  # Installed before the READY line, so a signal sent as soon as the supervisor sees it is handled. Trap context
  # may not take locks: the handler only flags and wakes the main thread through a pipe.
  %w[TERM INT].each do |sig|
    Signal.trap(sig) do
      stopping = true
      wake_w.write_nonblock('x', exception: false)
    end
  end

  say_ready

  threads = Array.new(opts[:threads]) do
    Thread.new do
      loop do
        begin
          conn = listener.accept
        rescue IOError, SystemCallError => e
          break if stopping

          log("accept() failed: #{e.message}")
          sleep 0.1
          next
        end
        begin
          worker.handle(conn)
        rescue StandardError => e
          log_exception(e)
        ensure
          conn.close
        end
      end
    end
  end

  wake_r.read(1)
  # Closing the listener wakes every thread blocked in accept (Ruby raises IOError in them); in-flight requests
  # finish. The socket file stays: the supervisor owns it.
  listener.close
  threads.each(&:join)
  0
end

# ---------------------------------------------------------------------------------------------------------------
# Loader (lazy_apps off)
# ---------------------------------------------------------------------------------------------------------------

# lazy_apps off, uWSGI's default (uWSGI docs, "Things to know": the app is loaded in the master and the workers are
# fork()ed from it, sharing its memory copy-on-write; the rack plugin honours lazy-apps too). config.ru is already
# loaded. --socket is a SOCK_SEQPACKET control socket: the supervisor connects once; each packet is a command
# (docs/app-shims.md "Loader mode", the Python shim's run_loader is the same protocol):
#
#   fork PATH   + SCM_RIGHTS [stdout, stderr]  -> "forked PID" | "error MESSAGE"
#   kill PID SIG                               (a worker the supervisor may not signal itself)
#
# and the loader reports "exit PID WAITSTATUS" for every worker it reaps. A forked worker serves on PATH exactly as
# a worker started by the supervisor does (NGINXLITE-READY on the stdout it was given). SIGTERM/SIGINT or the
# supervisor's close: no more forks; the loader exits 0 once its workers have exited (it stays their parent).
class RackLoader
  def initialize(opts, app, control)
    @opts = opts
    @app = app
    @control = control
    @conn = nil
    @eof = false # the supervisor shut its side down: no more commands, reports still go to it
    @children = {}
    @stopping = false
    # SIGCHLD and SIGTERM wake IO.select through a pipe; the trap handlers only flag and write (trap context).
    @wake_r, @wake_w = IO.pipe
  end

  def run
    Signal.trap('CHLD') { @wake_w.write_nonblock('x', exception: false) }
    %w[TERM INT].each do |sig|
      Signal.trap(sig) do
        @stopping = true
        @wake_w.write_nonblock('x', exception: false)
      end
    end
    say_ready
    loop do
      reap
      break if @stopping && @children.empty?

      waiting = [@wake_r]
      if @conn.nil?
        waiting << @control unless @stopping
      elsif !@eof
        waiting << @conn
      end
      ready, = IO.select(waiting)
      @wake_r.read_nonblock(512, exception: false) if ready.include?(@wake_r)
      if @conn.nil? && ready.include?(@control)
        accept_supervisor
      elsif @conn && ready.include?(@conn)
        command
      end
    end
    @conn&.close
    $stderr.flush
    0
  end

  private

  # One supervisor per loader: nobody else may connect, and the name goes.
  def accept_supervisor
    @conn, = @control.accept
    @control.close
    begin
      File.unlink(@opts[:socket])
    rescue SystemCallError
      nil
    end
  end

  def reap
    loop do
      pid, status = Process.wait2(-1, Process::WNOHANG)
      return if pid.nil?

      @children.delete(pid)
      report("exit #{pid} #{status.to_i}") # Process::Status#to_i: the raw wait status, as waitpid(2) gives it
    end
  rescue Errno::ECHILD
    nil
  end

  def report(text)
    @conn&.sendmsg(text)
  rescue IOError, SystemCallError
    nil
  end

  def command
    begin
      data, _, _, *controls = @conn.recvmsg(4096, 0, nil, scm_rights: true)
    rescue IOError, SystemCallError
      data = ''
      controls = []
    end
    ios = controls.flat_map { |c| c.cmsg_is?(:SOCKET, :RIGHTS) ? c.unix_rights : [] }
    verb, rest = data&.split(' ', 2)
    return fork_worker(rest, ios) if verb == 'fork' && rest && ios.size == 2 && !@stopping # takes the ios

    ios.each(&:close)
    if data.nil? || data.empty?
      # The supervisor shut its side down (a chain reload retired this loader) or went away: no more forks; leave
      # once the workers are gone. The connection stays open for the "exit PID STATUS" reports of the workers still
      # draining, so the supervisor learns their exit status.
      @eof = true
      @stopping = true
    elsif verb == 'kill' && rest
      kill(rest)
    else
      report("error bad command #{data[0, 100].inspect}")
    end
  end

  def kill(args)
    pid, sig = args.split.map { |w| Integer(w, 10) }
    Process.kill(sig, pid) if @children.key?(pid) # only a child of the loader is signalled
  rescue ArgumentError, TypeError, SystemCallError
    nil
  end

  def fork_worker(path, ios)
    $stdout.flush
    $stderr.flush
    begin
      pid = Process.fork { child(path, ios) }
    rescue SystemCallError, NotImplementedError => e
      ios.each(&:close)
      report("error fork: #{e.message}")
      return
    end
    ios.each(&:close)
    @children[pid] = true
    report("forked #{pid}")
  end

  # In the forked worker: the given pipes on fd 1 and 2, none of the loader's fds, the default signal dispositions,
  # then the worker's serving code. exit! skips the at_exit handlers the loader's app may have registered.
  def child(path, ios)
    code = EXIT_STARTUP_FAILED
    begin
      %w[CHLD TERM INT].each { |sig| Signal.trap(sig, 'DEFAULT') }
      $stdout.reopen(ios[0])
      $stderr.reopen(ios[1])
      $stderr.sync = true
      (ios + [@wake_r, @wake_w, @conn]).each(&:close)
      code = serve(@opts, path, @app)
    rescue Exception => e # rubocop:disable Lint/RescueException -- whatever happens, the child must not return
      log_exception(e)
    ensure
      begin
        $stdout.flush
        $stderr.flush
      rescue IOError, SystemCallError
        nil
      end
      exit!(code)
    end
  end
end

def run_loader(opts, app)
  begin
    control = bind(opts[:socket], opts[:socket_mode], 1, seqpacket: true)
  rescue SystemCallError => e
    log("cannot listen on #{opts[:socket]}: #{e.message}")
    return EXIT_STARTUP_FAILED
  end
  # One full GC before the first fork: the garbage of loading is freed here once, not in every worker's copy
  # (each worker's first GC would otherwise write to those shared pages and un-share them).
  GC.start
  RackLoader.new(opts, app, control).run
end

def main(argv)
  Signal.trap('HUP', 'IGNORE') # the contract: SIGHUP is the supervisor's, not the worker's
  opts = parse_args(argv)
  begin
    Dir.chdir(opts[:chdir]) if opts[:chdir]
  rescue SystemCallError => e
    log("chdir #{opts[:chdir]}: #{e.message}")
    exit EXIT_STARTUP_FAILED
  end
  $LOAD_PATH.unshift(Dir.pwd)
  app = load_app(opts[:rackup])
  exit(opts[:loader] ? run_loader(opts, app) : serve(opts, opts[:socket], app))
end

main(ARGV.dup)
