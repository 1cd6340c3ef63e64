# Rack test app for the Ruby worker shim tests (tests/NginxLite.Interop.Tests/Apps). rack_test_app.ru runs it
# inside Rack::Lint (the Rack 2 SPEC as code: a SPEC violation by the server fails the request with a 500);
# rack_plain.ru runs it bare, for the differential test against uWSGI's rack plugin.
require 'digest'
require 'json'

class RackTestApp
  # A streaming body with close(): counts closes (the SPEC: the server calls close after iterating).
  class Parts
    @closed = 0
    class << self
      attr_accessor :closed
    end

    def each
      5.times { |i| yield "part #{i}\n" }
    end

    def close
      self.class.closed += 1
    end
  end

  ENV_KEYS = %w[REQUEST_METHOD SCRIPT_NAME PATH_INFO QUERY_STRING CONTENT_TYPE CONTENT_LENGTH SERVER_NAME
                SERVER_PORT SERVER_PROTOCOL REMOTE_ADDR HTTP_HOST HTTP_X_CUSTOM rack.url_scheme].freeze

  def text(status, body, extra = {})
    [status, { 'Content-Type' => 'text/plain', 'Content-Length' => body.bytesize.to_s }.merge(extra), [body]]
  end

  def call(env)
    input = env['rack.input']
    case env['PATH_INFO']
    when '/'
      text(200, "Hello from the Rack test app\n")
    when '/env'
      lines = ENV_KEYS.select { |k| env.key?(k) }.map { |k| "#{k}=#{env[k]}" }
      lines << "rack.multithread=#{env['rack.multithread']}"
      lines << "rack.hijack?=#{env['rack.hijack?'].inspect}"
      lines << "has_http_content_type=#{env.key?('HTTP_CONTENT_TYPE')}"
      text(200, lines.join("\n") + "\n")
    when '/echo'
      first = input.read
      input.rewind
      again = input.read
      text(200, "#{first.bytesize} #{Digest::SHA256.hexdigest(first)} same_after_rewind=#{first == again}\n")
    when '/gets'
      first = input.gets
      rest = []
      input.each { |line| rest << line }
      text(200, JSON.generate('first' => first, 'rest' => rest) + "\n")
    when '/stream'
      [200, { 'Content-Type' => 'text/plain' }, Parts.new]
    when '/closed'
      text(200, "closed=#{Parts.closed}\n")
    when '/headers'
      text(200, "headers\n", 'Set-Cookie' => "a=1; path=/\nb=2", 'X-Custom' => 'yes')
    when '/redirect'
      [302, { 'Location' => '/elsewhere', 'Content-Type' => 'text/plain', 'Content-Length' => '0' }, []]
    when '/raise'
      raise 'boom-from-rack-app'
    else
      text(404, "no route #{env['PATH_INFO']}\n")
    end
  end
end
