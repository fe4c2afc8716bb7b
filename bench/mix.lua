-- wrk script of the realistic mix: every request is the next line of a prepared file (a page and the signed-in
-- user opening it: their session cookie or their API token), so consecutive requests are different users and
-- pages. Each thread starts at its own place in the file. Reports like latency.lua.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "latency.lua")

local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

local requests = {}
local index = 1

function init(args)
  for line in io.lines(args[1]) do
    local path, name, value = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    requests[#requests + 1] = wrk.format("GET", path, { [name] = value })
  end
  index = (offset * 7919) % #requests + 1  -- threads start far apart in the file
end

function request()
  local r = requests[index]
  index = index % #requests + 1
  return r
end
