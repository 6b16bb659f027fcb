"""The Lua script behind ``RedisLimiter`` (kept in a module so it ships with the package).

It mirrors :mod:`pyot_django.limiters.engine` rule for rule; the constants are
substituted from there so the two can never disagree.
"""

from __future__ import annotations

from . import engine

__all__ = ["KEEP", "SOURCE", "render"]

KEEP = 3600.0
"""Seconds a scope's learned limits outlive its last activity before its key expires."""

SOURCE = r"""--[[
pyot_django RedisLimiter: one atomic step of the window algorithm.
This mirrors pyot_django/limiters/engine.py rule for rule; read its docstring first.

KEYS[1]  app scope     pyot:rl:{<key hash>:<server>}
KEYS[2]  method scope  pyot:rl:{<key hash>:<server>}:<method>

ARGV[1] = "acquire", ARGV[2] = "1" for spread pacing[, ARGV[3] = n (default 1)]
  -> {"A", sent, marks}   admitted at Redis time `sent` (string, µs); `marks` is
                          opaque JSON to hand back to "record" unchanged
  -> {"W", seconds, "0"}  wait that long, then try again
  -> {"W", seconds, "1"}  an answer is awaited: `seconds` is a lower bound
  with n > 1 (the callers one process has queued meanwhile), up to n admissions in
  turn, each by the same rules as n calls in a row, and one write of the state:
  -> {"A", sent, count, seconds, flag, marks_1 .. marks_count}: the first `count`
     callers are admitted; the rest (if any) got {"W", seconds, flag}
  -> {"W", seconds, flag} as above when none is admitted
ARGV[1] = "record", ARGV[2] = share, ARGV[3] = sent, ARGV[4] = marks,
ARGV[5] = feedback JSON (Feedback.as_json; "s" = 0 means no answer) -> "OK";
  more (sent, marks, feedback) triples may follow: the answers of one process's
  requests of this scope pair, applied in order (one call instead of one each)
ARGV[1] = "forget": make both scopes probe again (after an outage) -> "OK"

Times come from Redis's TIME so every machine agrees. State per scope is one
msgpack blob (exact doubles); windows are arrays
{limit, seconds, count, start, end (-1: unknown), last, inflight, epoch}.
Constants written __NAME__ are substituted from engine.py by render().
]]

local CLOSE_MARGIN = __CLOSE_MARGIN__
local CLOCK_DRIFT = __CLOCK_DRIFT__
local RETRY_MARGIN = __RETRY_MARGIN__
local BACKOFF_CAP = __BACKOFF_CAP__
local PAUSE_CAP = __PAUSE_CAP__
local PROBE_LEASE = __PROBE_LEASE__
local LEAD_HOLD = __LEAD_HOLD__
local STALE = __STALE__
local KEEP = __KEEP__

local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000

local function load(key)
  local blob = redis.call('GET', key)
  if blob then return cmsgpack.unpack(blob) end
  -- Epochs start at the creation time in ms, so marks issued before a Redis restart or
  -- key expiry (all smaller than `base`) are recognised as not counted here.
  local base = math.floor(now * 1000)
  return {raw = false, w = {}, probe = 0, lead = 0, lead_epoch = 0, pause = 0, backoff = 0, last_send = 0,
          round_trip = 0, fastest = -1, seq = base, base = base}
end

local function close_after(seconds)
  return now + seconds * (1 + CLOCK_DRIFT) + CLOSE_MARGIN
end

local function save(key, s)
  local horizon = math.max(now, s.pause, s.probe, s.lead or 0)
  for _, w in ipairs(s.w) do horizon = math.max(horizon, w[6] + w[2] + STALE) end
  redis.call('SET', key, cmsgpack.pack(s), 'PX', math.ceil((horizon - now + KEEP) * 1000))
end

local function closed(w)
  if w[3] == 0 or now >= w[6] + w[2] + STALE then return true end
  return w[5] >= 0 and now >= w[5] and w[7] <= 0
end

local function count_for(h, seconds)
  for _, p in ipairs(h.c) do
    if p[2] == seconds then return p[1] end
  end
  return nil
end

-- One admission by the window rules (the state changes in memory only), or the wait.
local function admit(scopes, spread)
  local wait, on_answer = 0, false
  for _, s in ipairs(scopes) do
    if now < s.pause then
      wait = math.max(wait, s.pause - now)
    elseif s.raw == false then
      if s.probe > now then on_answer = true end
    else
      if (s.lead or 0) > now then on_answer = true end
      local interval = 0
      for _, w in ipairs(s.w) do
        interval = math.max(interval, w[2] / w[1])
        if not closed(w) and w[3] >= w[1] then
          if w[5] >= 0 and w[7] <= 0 then
            wait = math.max(wait, w[5] - now)
          else
            on_answer = true
            local bound = w[4] + w[2]
            if w[5] >= 0 then bound = w[5] end
            wait = math.max(wait, math.min(bound, w[6] + w[2] + STALE) - now)
          end
        end
      end
      if spread then wait = math.max(wait, s.last_send + interval - now) end
    end
  end
  if wait > 0 or on_answer then
    return {'W', string.format('%.6f', math.max(wait, 0)), on_answer and '1' or '0'}
  end

  local marks = {}
  for i, s in ipairs(scopes) do
    if s.raw == false then
      s.probe = now + PROBE_LEASE
      marks[i] = false
    else
      local taken, opened = {}, false
      for j, w in ipairs(s.w) do
        if closed(w) then
          s.seq = s.seq + 1
          w[3], w[4], w[5], w[7], w[8] = 0, now, -1, 0, s.seq
          opened = true
        end
        w[3] = w[3] + 1
        w[6] = now
        w[7] = w[7] + 1
        taken[j] = w[8]
      end
      if opened then
        -- Blobs written before round trips were kept have neither field.
        if (s.fastest or -1) >= 0 then s.round_trip, s.fastest = s.fastest, -1 end
        if (s.round_trip or 0) < LEAD_HOLD then s.lead, s.lead_epoch = now + LEAD_HOLD, s.seq end
      end
      s.last_send = now
      marks[i] = taken
    end
  end
  return {'A', string.format('%.6f', now), cjson.encode(marks)}
end

local function acquire(scopes, spread, n)
  local answer = admit(scopes, spread)
  if answer[1] == 'W' then return answer end
  if n > 1 then
    -- A batch: admit in turn, by the same rules as n calls, until n or the first wait.
    local batch = {'A', answer[2], 1, '0', '0', answer[3]}
    while batch[3] < n do
      local next = admit(scopes, spread)
      if next[1] == 'W' then
        batch[4], batch[5] = next[2], next[3]
        break
      end
      batch[3] = batch[3] + 1
      batch[#batch + 1] = next[3]
    end
    answer = batch
  end
  save(KEYS[1], scopes[1])
  save(KEYS[2], scopes[2])
  return answer
end

local function settle(s, mark, h, answered)
  for _, epoch in ipairs(mark) do
    for _, w in ipairs(s.w) do
      if w[8] == epoch then
        w[7] = w[7] - 1
        if answered and w[5] < 0 then w[5] = close_after(w[2]) end
        local count = nil
        if answered then count = count_for(h, w[2]) end
        if now >= w[4] + w[2] and (count == nil or count == 1) and w[5] >= 0 then
          w[5] = math.max(w[5], close_after(w[2]))
        end
      end
    end
  end
end

local function reseed(s, h, counted, sent, share)
  local old = {}
  for _, w in ipairs(s.w) do
    if not closed(w) then old[w[2]] = w end
  end
  local extra = 1
  if counted then extra = 0 end
  local windows = {}
  for i, p in ipairs(h.l) do
    local limit, seconds = p[1], p[2]
    local reported = math.max(count_for(h, seconds) or 0, extra)
    local lim = math.max(1, math.floor(limit * share + 1e-9))
    local w = old[seconds]
    if w then
      w[1] = lim
      w[3] = math.max(w[3] + extra, reported)
      if reported > 0 and w[5] >= 0 then w[5] = math.max(w[5], close_after(seconds)) end
    else
      w = {lim, seconds, 0, 0, -1, 0, 0, 0}
      if reported > 0 then
        s.seq = s.seq + 1
        w[3], w[5], w[6], w[8] = reported, close_after(seconds), now, s.seq
        if reported == 1 then w[4] = sent else w[4] = now - seconds end
      end
    end
    windows[i] = w
  end
  s.w = windows
  s.raw = h.raw
  s.last_send = math.max(s.last_send, sent)
end

local function record(scopes, share, sent, marks, fb)
  local status = fb.s
  local answered = status ~= 0
  for i, s in ipairs(scopes) do
    local mark, h = marks[i], fb.sc[i]
    if mark == false then
      s.probe = 0
    else
      for _, epoch in ipairs(mark) do
        if epoch == s.lead_epoch then s.lead = 0 end
      end
      if s.raw ~= false then settle(s, mark, h, answered) end
    end
    if answered then
      local took = now - sent
      if (s.fastest or -1) < 0 then s.fastest = took else s.fastest = math.min(s.fastest, took) end
      local counted = mark ~= false and s.raw ~= false and (#mark == 0 or mark[1] >= s.base)
      if h.raw ~= false then
        if (not counted) or h.raw ~= s.raw or status == 429 then reseed(s, h, counted, sent, share) end
      elseif s.raw == false and status < 500 and status ~= 429 then
        s.raw, s.w = '', {}
      end
    end
  end
  if status == 429 then
    local target = scopes[2]
    if fb.ty == 'application' then target = scopes[1] end
    local pause
    if fb.ra >= 0 then
      pause = math.min(fb.ra, PAUSE_CAP) + RETRY_MARGIN
    else
      pause = math.min(2 ^ target.backoff, BACKOFF_CAP)
      target.backoff = target.backoff + 1
    end
    target.pause = math.max(target.pause, now + pause)
  elseif answered then
    scopes[1].backoff, scopes[2].backoff = 0, 0
  end
end

local scopes = {load(KEYS[1]), load(KEYS[2])}
if ARGV[1] == 'forget' then
  -- After an outage: requests went out uncounted here, so learn the counts afresh from
  -- Riot (the next request probes; its answer re-seeds the windows it kept).
  for i = 1, 2 do
    if redis.call('EXISTS', KEYS[i]) == 1 then
      scopes[i].raw, scopes[i].probe = false, 0
      save(KEYS[i], scopes[i])
    end
  end
  return 'OK'
end
if ARGV[1] == 'acquire' then
  return acquire(scopes, ARGV[2] == '1', tonumber(ARGV[3] or '1'))
end
local share = tonumber(ARGV[2])
for i = 3, #ARGV - 2, 3 do
  record(scopes, share, tonumber(ARGV[i]), cjson.decode(ARGV[i + 1]), cjson.decode(ARGV[i + 2]))
end
save(KEYS[1], scopes[1])
save(KEYS[2], scopes[2])
return 'OK'
"""


def render() -> str:
    """The script with the engine's constants filled in."""
    values = {
        "CLOSE_MARGIN": engine.CLOSE_MARGIN,
        "CLOCK_DRIFT": engine.CLOCK_DRIFT,
        "RETRY_MARGIN": engine.RETRY_MARGIN,
        "BACKOFF_CAP": engine.BACKOFF_CAP,
        "PAUSE_CAP": engine.PAUSE_CAP,
        "PROBE_LEASE": engine.PROBE_LEASE,
        "LEAD_HOLD": engine.LEAD_HOLD,
        "STALE": engine.STALE,
        "KEEP": KEEP,
    }
    text = SOURCE
    for name, value in values.items():
        text = text.replace(f"__{name}__", repr(float(value)))
    return text
