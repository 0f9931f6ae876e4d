// Optional GPS for the new-inspection form: when the browser has geolocation and the
// user allows it, the position fills the hidden lat/lng fields, so the server can flag
// a start far from the outlet. Without it (refused, unavailable, no script) the form
// is sent without a position and works the same.
(function () {
  "use strict";
  var lat = document.getElementById("geo-lat"), lng = document.getElementById("geo-lng");
  var state = document.getElementById("geo-state");
  if (!lat || !lng || !navigator.geolocation) { return; }
  function show(key) { if (state && state.dataset[key]) { state.textContent = state.dataset[key]; } }
  show("asking");
  navigator.geolocation.getCurrentPosition(function (pos) {
    lat.value = pos.coords.latitude.toFixed(6);
    lng.value = pos.coords.longitude.toFixed(6);
    show("ok");
  }, function () {
    lat.value = ""; lng.value = "";
    show("none");
  }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
})();
