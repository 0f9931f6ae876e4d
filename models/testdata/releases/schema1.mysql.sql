/*M!999999\- enable the sandbox mode */ 
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `audit_events` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `at` datetime(3) NOT NULL,
  `actor_id` bigint(20) unsigned DEFAULT NULL,
  `actor_name` varchar(64) NOT NULL,
  `action` varchar(32) NOT NULL,
  `entity` varchar(32) NOT NULL,
  `entity_id` varchar(64) NOT NULL,
  `summary` text DEFAULT NULL,
  `ip` varchar(64) DEFAULT NULL,
  `request_id` varchar(64) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_audit_events_at` (`at`),
  KEY `idx_audit_events_actor_id` (`actor_id`),
  KEY `idx_audit_events_action` (`action`),
  KEY `idx_audit_entity` (`entity`,`entity_id`)
) ENGINE=InnoDB AUTO_INCREMENT=3014 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `audit_events` VALUES (1,'2026-12-04 02:21:22.133',NULL,'system','seed','org_unit','1','{\"code\":\"36\",\"name\":\"江西省广播电视网络传输有限公司\"}','','');
INSERT INTO `audit_events` VALUES (2,'2026-12-04 02:21:22.133',NULL,'system','seed','org_unit','2','{\"code\":\"3601\",\"name\":\"南昌市分公司\"}','','');
INSERT INTO `audit_events` VALUES (3,'2026-12-04 02:21:22.133',NULL,'system','seed','org_unit','3','{\"code\":\"360102\",\"name\":\"东湖区分公司\"}','','');
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_unicode_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER audit_events_no_UPDATE BEFORE UPDATE ON audit_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_events is append-only' 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_unicode_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER audit_events_no_DELETE BEFORE DELETE ON audit_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_events is append-only' 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `employees` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `job_number` varchar(32) NOT NULL,
  `name` varchar(64) NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `position` varchar(16) NOT NULL,
  `hire_date` date NOT NULL,
  `status` varchar(16) NOT NULL,
  `phone` varchar(32) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_employees_job_number` (`job_number`),
  KEY `idx_employees_name` (`name`),
  KEY `idx_employees_org_unit_id` (`org_unit_id`),
  KEY `idx_employees_position` (`position`),
  KEY `idx_employees_status` (`status`),
  CONSTRAINT `fk_employees_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=2738 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `employees` VALUES (1,'36001','张斌林',1,'other','2024-06-08','active','19611343967','2026-12-04 02:21:22.224','2026-12-04 02:21:22.224');
INSERT INTO `employees` VALUES (2,'36002','谢雪燕',1,'other','2019-04-11','active','15599523669','2026-12-04 02:21:22.224','2026-12-04 02:21:22.224');
INSERT INTO `employees` VALUES (3,'36003','龙颖俊',1,'other','2018-07-15','active','18314545779','2026-12-04 02:21:22.224','2026-12-04 02:21:22.224');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `grants` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint(20) unsigned NOT NULL,
  `role` varchar(16) NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_grant` (`user_id`,`role`,`org_unit_id`),
  KEY `idx_grants_org_unit_id` (`org_unit_id`),
  CONSTRAINT `fk_grants_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`),
  CONSTRAINT `fk_users_grants` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `grants` VALUES (1,1,'admin',1);
INSERT INTO `grants` VALUES (2,2,'trainer',1);
INSERT INTO `grants` VALUES (3,3,'inspector',2);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `login_throttles` (
  `key` varchar(191) NOT NULL,
  `failures` bigint(20) NOT NULL,
  `last_failed_at` datetime(3) NOT NULL,
  `blocked_until` datetime(3) NOT NULL,
  PRIMARY KEY (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `org_units` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(32) NOT NULL,
  `name` varchar(100) NOT NULL,
  `level` varchar(16) NOT NULL,
  `parent_id` bigint(20) unsigned DEFAULT NULL,
  `path` varchar(191) NOT NULL,
  `urban` tinyint(1) NOT NULL,
  `households` bigint(20) NOT NULL,
  `address` varchar(200) NOT NULL,
  `phone` varchar(32) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_org_units_code` (`code`),
  KEY `idx_org_units_level` (`level`),
  KEY `idx_org_units_parent_id` (`parent_id`),
  KEY `idx_org_units_path` (`path`),
  CONSTRAINT `fk_org_units_parent` FOREIGN KEY (`parent_id`) REFERENCES `org_units` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=272 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `org_units` VALUES (1,'36','江西省广播电视网络传输有限公司','province',NULL,'/1/',1,7436791,'','','2026-12-04 02:21:22.135','2026-12-04 02:21:22.135');
INSERT INTO `org_units` VALUES (2,'3601','南昌市分公司','city',1,'/1/2/',1,1166766,'','','2026-12-04 02:21:22.135','2026-12-04 02:21:22.135');
INSERT INTO `org_units` VALUES (3,'360102','东湖区分公司','county',2,'/1/2/3/',1,168367,'','','2026-12-04 02:21:22.135','2026-12-04 02:21:22.135');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `secrets` (
  `name` varchar(64) NOT NULL,
  `value` varchar(255) NOT NULL,
  PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `sessions` (
  `id` varchar(64) NOT NULL,
  `user_id` bigint(20) unsigned NOT NULL,
  `created_at` datetime(3) NOT NULL,
  `last_seen_at` datetime(3) NOT NULL,
  `expires_at` datetime(3) NOT NULL,
  `ip` varchar(64) NOT NULL,
  `user_agent` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_sessions_user_id` (`user_id`),
  KEY `idx_sessions_expires_at` (`expires_at`),
  CONSTRAINT `fk_sessions_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `users` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `username` varchar(64) NOT NULL,
  `display_name` varchar(64) NOT NULL,
  `password_hash` varchar(255) NOT NULL,
  `employee_id` bigint(20) unsigned DEFAULT NULL,
  `disabled` tinyint(1) NOT NULL,
  `password_changed_at` datetime(3) DEFAULT NULL,
  `last_login_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_users_username` (`username`),
  UNIQUE KEY `idx_users_employee_id` (`employee_id`),
  CONSTRAINT `fk_users_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `users` VALUES (1,'admin','系统管理员','$argon2id$v=19$m=19456,t=2,p=1$nKeGoUI0ifszXy8jEU4lWQ$9goAYhXxY8jaNSXCbCUgrmVIEZurGLBr0iDTx1eeZDA',NULL,0,'2026-12-04 02:21:22.212',NULL,'2026-12-04 02:21:22.213','2026-12-04 02:21:22.213');
INSERT INTO `users` VALUES (2,'trainer','培训师（省公司）','$argon2id$v=19$m=19456,t=2,p=1$voF2GEHGoA5kDgXfhxuayg$3fVVrkoRyFsMhf9CibhjWj78PrJlEFMnmC+ANK+HgIc',1,0,'2026-12-04 02:21:22.482',NULL,'2026-12-04 02:21:22.483','2026-12-04 02:21:22.483');
INSERT INTO `users` VALUES (3,'inspector','督导员（南昌市分公司）','$argon2id$v=19$m=19456,t=2,p=1$WUrSotfOmEUG6eS4a6AI6w$0BicQhwCo/r5wjKqpgPsqUxW1CC0pc7RNZCGctzXg0E',1051,0,'2026-12-04 02:21:22.526',NULL,'2026-12-04 02:21:22.526','2026-12-04 02:21:22.526');
/*M!999999\- enable the sandbox mode */ 
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `schema_migrations` (
  `version` bigint(20) NOT NULL,
  `name` varchar(191) NOT NULL,
  `applied_at` datetime(3) NOT NULL,
  PRIMARY KEY (`version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `schema_migrations` VALUES (1,'initial schema','2026-12-04 02:21:22.130');
