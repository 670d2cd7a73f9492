/* The lab page: mount the lab on the page's element with the state Python wrote (or the one
 * a link's fragment holds, checked first), and offer its API as window.neurograph.live. */

import { mount } from "./lab.js";
import { decodeState } from "./state.js";

const given = JSON.parse(document.getElementById("ng-data").textContent);
let state = given;
let note = null;
if (window.location.hash.length > 1) {
  try {
    state = { ...given, ...decodeState(window.location.hash) };
  } catch (err) {
    note = "The link's state was not used: " + err.message;
  }
}
window.neurograph = window.neurograph || {};
const lab = mount(document.getElementById("ng-lab"), { ...state, fragment: true });
window.neurograph.live = lab;
lab.ready.then(() => {
  if (note !== null) document.querySelector("#ng-lab [role=status]").textContent = note;
  performance.mark("ng-first-frame");
});
