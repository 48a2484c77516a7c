-- The mixed read workload of `manage.py benchmark` (src/hamkke/bench/benchmark.py writes the request
-- list: one "METHOD<TAB>path<TAB>body<TAB>session id" per line, each request with the session of a
-- worker allowed to read what it asks for). Any status other than 200 counts as an error.
local path = os.getenv("HAMKKE_LOAD_REQUESTS")
local csrf = os.getenv("HAMKKE_LOAD_CSRF")
local requests = {}
local counter = 0
errors = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(path) do
    local method, p, body, session = line:match("^(%u+)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    table.insert(requests, {method, p, body, session})
  end
  counter = math.random(#requests)
end

function request()
  counter = counter % #requests + 1
  local r = requests[counter]
  local headers = {["Cookie"] = "sessionid=" .. r[4] .. "; csrftoken=" .. csrf}
  if r[1] == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = csrf
    return wrk.format("POST", r[2], headers, r[3])
  end
  return wrk.format("GET", r[2], headers)
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("errors")
  end
  io.write(string.format("hamkke-errors: %d\n", total))
end
