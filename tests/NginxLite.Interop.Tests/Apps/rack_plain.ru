require_relative 'rack_test_app'
run RackTestApp.new
