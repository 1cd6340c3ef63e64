require_relative 'rack_test_app'
use Rack::Lint
run RackTestApp.new
