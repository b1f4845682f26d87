// The newsroom's only script: autosave and preview on the article editor.
// Every page works without it.
"use strict";
