package newsroom

import (
	"net/http"

	"github.com/jarchy/jarchy"
)

// route is one row of the route table: who may reach the handler.
type route struct {
	method  string
	pattern string // under Prefix
	handler handlerFunc
	access  access
}

// access is who may use a route.
type access struct {
	public bool          // no login needed (login form, static files)
	roles  []jarchy.Role // nil: any logged-in user
}

var (
	public  = access{public: true}
	users   = access{}
	editors = access{roles: []jarchy.Role{jarchy.RoleAdmin, jarchy.RoleEditor}}
	admins  = access{roles: []jarchy.Role{jarchy.RoleAdmin}}
)

// routeTable is the newsroom: one row per page or action. Every POST
// checks the form token (and http.CrossOriginProtection wraps them all).
var routeTable = []route{
	{"GET", "/{$}", dashboard, users},
	{"GET", "/articles", articles, users},
	{"GET", "/articles/new", articleNew, users},
	{"POST", "/articles/new", articleSave, users},
	{"POST", "/articles/new/autosave", autosave, users},
	{"GET", "/articles/{id}", articleEdit, users},
	{"POST", "/articles/{id}", articleSave, users},
	{"POST", "/articles/{id}/autosave", autosave, users},
	{"POST", "/articles/{id}/translate", translate, users},
	{"POST", "/articles/{id}/breaking", breaking, editors},
	{"GET", "/articles/{id}/revisions", revisions, users},
	{"GET", "/articles/{id}/revisions/diff", revisionDiff, users},
	{"POST", "/articles/{id}/revisions/{rev}/restore", restoreRevision, users},
	{"POST", "/preview", preview, users},
	{"GET", "/slug", slug, users},
	{"GET", "/login", loginForm, public},
	{"POST", "/login", loginPost, public},
	{"POST", "/logout", logout, users},
	{"GET", "/setup", setupForm, public},
	{"POST", "/setup", setupPost, public},
	{"GET", "/account", accountForm, users},
	{"POST", "/account", accountPost, users},
	{"GET", "/media", mediaLibrary, users},
	{"POST", "/media/upload", mediaUpload, users},
	{"GET", "/media/edit", mediaEdit, users},
	{"POST", "/media/edit", mediaEditPost, users},
	{"POST", "/media/delete", mediaDelete, editors},
	{"GET", "/media/pick", mediaPick, users},
	{"POST", "/media/pick", mediaPickPost, users},
	{"GET", "/static/{name}", staticFile, public},

	// Admin pages: sections, static pages, site settings, users, audit log.
	{"GET", "/sections", sectionList, admins},
	{"POST", "/sections", sectionCreate, admins},
	{"GET", "/sections/{id}", sectionEdit, admins},
	{"POST", "/sections/{id}", sectionUpdate, admins},
	{"POST", "/sections/{id}/delete", sectionDelete, admins},
	{"GET", "/pages", pageList, admins},
	{"GET", "/pages/new", pageNew, admins},
	{"POST", "/pages", pageSave, admins},
	{"GET", "/pages/{id}", pageEdit, admins},
	{"POST", "/pages/{id}", pageSave, admins},
	{"POST", "/pages/{id}/delete", pageDelete, admins},
	{"GET", "/settings", settingsForm, admins},
	{"POST", "/settings", settingsPost, admins},
	{"GET", "/users", userList, admins},
	{"POST", "/users", userCreate, admins},
	{"POST", "/users/{id}/role", userRole, admins},
	{"POST", "/users/{id}/disable", userDisable, admins},
	{"POST", "/users/{id}/enable", userEnable, admins},
	{"GET", "/audit", auditLog, admins},

	// Comment moderation.
	{"GET", "/comments", commentsQueue, editors},
	{"POST", "/comments/moderate", moderateComments, editors},
	{"GET", "/comments/{id}/edit", commentEditForm, editors},
	{"POST", "/comments/{id}/edit", commentEditPost, editors},
	{"GET", "/comments/bans", commentBans, editors},
	{"POST", "/comments/bans", commentBanAdd, editors},
	{"POST", "/comments/bans/{id}/delete", commentBanDelete, editors},
	{"POST", "/comments/mode", commentArticleMode, editors},
	{"GET", "/comments/settings", commentSettingsForm, admins},
	{"POST", "/comments/settings", commentSettingsPost, admins},
}

// routes registers the table. GET patterns also answer HEAD.
func (s *Server) routes() {
	for _, rt := range routeTable {
		s.mux.Handle(rt.method+" "+Prefix+rt.pattern, s.wrap(rt))
	}
	s.mux.Handle("GET "+Prefix, http.RedirectHandler(Prefix+"/", http.StatusMovedPermanently))
	s.mux.Handle(Prefix+"/", s.wrap(route{handler: notFound, access: public}))
}
