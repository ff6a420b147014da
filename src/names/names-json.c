/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-json.c - the runtimes' JSON metadata through json-c: docker's
 * config.v2.json, containers/storage's containers.json (podman, CRI-O),
 * OCI runtime specs (config.json) and the pod objects in podman's state.  Pure: text in, fields out; text that is
 * truncated, not JSON, or JSON of another shape gives false.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "names/names-priv.h"

/* The whole text as one JSON value, or NULL (json_object_put() it). */
static json_object *parse(const char *text, size_t len)
{
	json_tokener *tok;
	json_object *o;

	if (!len || len > NAMES_META_MAX)
		return NULL;
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	o = json_tokener_parse_ex(tok, text, (int)len);
	/* a truncated file leaves the tokener wanting more: not a value; nor
	 * is a value followed by anything but white space (within len: the
	 * text need not end in a NUL) */
	if (o && json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	for (size_t i = o ? json_tokener_get_parse_end(tok) : len; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i]) {
			json_object_put(o);
			o = NULL;
			break;
		}
	json_tokener_free(tok);
	return o;
}

/* The string member key of object o, or NULL. */
static const char *member_str(json_object *o, const char *key, size_t *len)
{
	json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

static bool copy_member(json_object *o, const char *key, char *dst, size_t size)
{
	size_t l;
	const char *s = member_str(o, key, &l);

	if (!s || !l || memchr(s, 0, l))
		return false;
	names_copy(dst, size, s, l);
	return true;
}

bool names_docker_parse_config(const char *text, size_t len, char *name, size_t size)
{
	json_object *o = parse(text, len);
	size_t l = 0;
	const char *s = member_str(o, "Name", &l);
	bool ok = false;

	/* docker keeps the name with a leading slash ("/web-1", the link path) */
	if (s && l > 1 && s[0] == '/' && !memchr(s, 0, l)) {
		names_copy(name, size, s + 1, l - 1);
		ok = true;
	}
	json_object_put(o);
	return ok;
}

bool names_storage_parse_containers(const char *text, size_t len, const char *id, char *name, size_t size)
{
	json_object *o = parse(text, len);
	bool ok = false;

	if (o && json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n && !ok; i++) {
			json_object *c = json_object_array_get_idx(o, i), *names, *first;
			size_t l;
			const char *cid = member_str(c, "id", &l);
			if (!cid || strcmp(cid, id))
				continue;
			if (json_object_object_get_ex(c, "names", &names) &&
			    json_object_is_type(names, json_type_array) &&
			    json_object_array_length(names) > 0 &&
			    (first = json_object_array_get_idx(names, 0)) &&
			    json_object_is_type(first, json_type_string) &&
			    json_object_get_string_len(first) > 0) {
				names_copy(name, size, json_object_get_string(first),
					   (size_t)json_object_get_string_len(first));
				ok = !memchr(json_object_get_string(first), 0,
					     (size_t)json_object_get_string_len(first));
			}
			break;
		}
	}
	json_object_put(o);
	return ok;
}

bool names_oci_parse_config(const char *text, size_t len, struct group_name *out, char *cgroups_path,
			    size_t size)
{
	json_object *o = parse(text, len), *ann, *linux_;
	bool ok = false;

	if (!o || !json_object_is_type(o, json_type_object))
		goto done;
	ok = true;
	if (cgroups_path && size) {
		cgroups_path[0] = 0;
		if (json_object_object_get_ex(o, "linux", &linux_))
			copy_member(linux_, "cgroupsPath", cgroups_path, size);
	}
	if (json_object_object_get_ex(o, "annotations", &ann)) {
		/* CRI-O's keys, then containerd's CRI plugin's */
		if (!copy_member(ann, "io.kubernetes.container.name", out->name, sizeof(out->name)))
			copy_member(ann, "io.kubernetes.cri.container-name", out->name, sizeof(out->name));
		if (!copy_member(ann, "io.kubernetes.pod.name", out->pod, sizeof(out->pod)))
			copy_member(ann, "io.kubernetes.cri.sandbox-name", out->pod, sizeof(out->pod));
		if (!copy_member(ann, "io.kubernetes.pod.namespace", out->namespace, sizeof(out->namespace)))
			copy_member(ann, "io.kubernetes.cri.sandbox-namespace", out->namespace,
				    sizeof(out->namespace));
		if (!copy_member(ann, "io.kubernetes.pod.uid", out->pod_uid, sizeof(out->pod_uid)))
			copy_member(ann, "io.kubernetes.cri.sandbox-uid", out->pod_uid, sizeof(out->pod_uid));
	}
done:
	json_object_put(o);
	return ok;
}

bool names_podman_parse_pod_state(const char *db, size_t len, const char *id, char *name, size_t size)
{
	char key[128];
	int kl = snprintf(key, sizeof(key), "{\"id\":\"%s\",", id);
	const char *p = db, *end = db + len;
	bool ok = false;

	if (kl <= 0 || (size_t)kl >= sizeof(key) || !names_is_id(id, strlen(id)) || len > NAMES_META_MAX)
		return false;
	/* old copies of a page may hold the object again: the first whole one */
	while (!ok && (p = memmem(p, (size_t)(end - p), key, (size_t)kl))) {
		json_tokener *tok = json_tokener_new();
		json_object *o;
		size_t l;
		const char *s;

		if (!tok)
			return false;
		/* the object ends where its closing brace does: bolt's next bytes
		 * (a key, page padding) are not read as part of it */
		o = json_tokener_parse_ex(tok, p, (int)(end - p));
		if (o && json_tokener_get_error(tok) == json_tokener_success &&
		    (s = member_str(o, "id", &l)) && !strcmp(s, id) && (s = member_str(o, "name", &l)) && l &&
		    !memchr(s, 0, l)) {
			names_copy(name, size, s, l);
			ok = true;
		}
		json_object_put(o);
		json_tokener_free(tok);
		p++;
	}
	return ok;
}
