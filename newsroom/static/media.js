// The photo library's drag and drop: photos dropped on the upload form go
// into its file input, and the form is submitted as if chosen by hand
// (same endpoint, same form token). Without JavaScript the file input
// does it all.
"use strict";
(function () {
	var form = document.getElementById("nr-upload");
	var zone = document.getElementById("nr-dropzone");
	var input = document.getElementById("f-file");
	if (!form || !zone || !input || !window.DataTransfer) {
		return;
	}
	zone.hidden = false;
	function over(e) {
		e.preventDefault();
		form.classList.add("nr-dragover");
	}
	function leave() {
		form.classList.remove("nr-dragover");
	}
	form.addEventListener("dragenter", over);
	form.addEventListener("dragover", over);
	form.addEventListener("dragleave", leave);
	form.addEventListener("drop", function (e) {
		e.preventDefault();
		leave();
		if (!e.dataTransfer || e.dataTransfer.files.length === 0) {
			return;
		}
		input.files = e.dataTransfer.files;
		if (form.requestSubmit) {
			form.requestSubmit();
		} else {
			form.submit();
		}
	});
})();
