// Shows each time in the reader's own timezone. Without this script the page reads the same,
// in the club's timezone.
(function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var format = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
  });
  var times = document.querySelectorAll("time[data-local]");
  for (var i = 0; i < times.length; i++) {
    var at = new Date(times[i].getAttribute("datetime"));
    if (!isNaN(at.getTime())) { times[i].textContent = format.format(at); }
  }
  var note = document.getElementById("zone-note");
  if (note && zone) {
    var club = note.getAttribute("data-club-zone");
    note.textContent = zone === club
      ? "Times are in your timezone, " + zone + ", which is the club's too."
      : "Times are in your timezone, " + zone + " (the club's is " + club + ").";
    note.setAttribute("data-shown-zone", zone);
  }
})();
